using Porthole.Tests.Deploy.Helm;

namespace Porthole.Tests.Deploy;

/// <summary>The chart's objects as rendered: the pod's hardening, probes, drain budget, wiring of secrets, and the values it refuses.</summary>
public sealed class ChartTests
{
    private static Dictionary<string, object?> Object(ChartRender render, string kind) => HelmYaml.ReadMap(render.Single(kind).Yaml, kind);

    private static Dictionary<string, object?> Map(object? value) => Assert.IsType<Dictionary<string, object?>>(value);

    private static List<object?> List(object? value) => Assert.IsType<List<object?>>(value);

    private static Dictionary<string, object?> Pod(ChartRender render) => Map(Map(Map(Object(render, "Deployment")["spec"])["template"])["spec"]);

    private static Dictionary<string, object?> Container(ChartRender render) => Map(List(Pod(render)["containers"]).Single());

    private static Dictionary<string, object?> Env(ChartRender render) =>
        List(Container(render)["env"]).Select(Map).ToDictionary(e => (string)e["name"]!, e => e.GetValueOrDefault("value") ?? e.GetValueOrDefault("valueFrom"));

    private static string Fails(params string[] values) => Assert.Throws<TemplateException>(() => DeployPaths.Render(values)).Message;

    [Fact]
    public void Deployment_Defaults_NonRootReadOnlyNoCapabilitiesSeccomp()
    {
        var render = DeployPaths.Render();
        var pod = Map(Pod(render)["securityContext"]);
        Assert.Equal(true, pod["runAsNonRoot"]);
        Assert.Equal(1654.0, pod["runAsUser"]);
        Assert.Equal("RuntimeDefault", Map(pod["seccompProfile"])["type"]);
        var container = Map(Container(render)["securityContext"]);
        Assert.Equal(true, container["runAsNonRoot"]);
        Assert.Equal(true, container["readOnlyRootFilesystem"]);
        Assert.Equal(false, container["allowPrivilegeEscalation"]);
        Assert.Equal(false, container["privileged"]);
        Assert.Equal(["ALL"], List(Map(container["capabilities"])["drop"]));
        Assert.False(Map(container["capabilities"]).ContainsKey("add"));

        // The root filesystem is read-only: the data directory and /tmp are volumes.
        var mounts = List(Container(render)["volumeMounts"]).Select(Map).ToDictionary(m => (string)m["mountPath"]!, m => (string)m["name"]!);
        Assert.Equal("data", mounts["/data"]);
        Assert.Equal("tmp", mounts["/tmp"]);
        Assert.Equal("/data", Env(render)["PORTHOLE_DATA_DIR"]);
        var volumes = List(Pod(render)["volumes"]).Select(Map).ToDictionary(v => (string)v["name"]!);
        Assert.True(volumes["data"].ContainsKey("emptyDir"));
        Assert.True(volumes["tmp"].ContainsKey("emptyDir"));
        Assert.NotNull(Map(Container(render)["resources"])["requests"]);
        Assert.NotNull(Map(Map(Container(render)["resources"])["limits"])["memory"]);
    }

    [Fact]
    public void Deployment_Probes_LivezAndReadyzOnTheContainerPort()
    {
        var container = Container(DeployPaths.Render());
        var port = Map(List(container["ports"]).Single());
        Assert.Equal(("http", 8090.0), ((string)port["name"]!, (double)port["containerPort"]!));
        foreach (var (probe, path) in new[] { ("livenessProbe", "/livez"), ("readinessProbe", "/readyz"), ("startupProbe", "/livez") })
        {
            var get = Map(Map(container[probe])["httpGet"]);
            Assert.Equal((path, "http", "HTTP"), ((string)get["path"]!, (string)get["port"]!, (string)get["scheme"]!));
        }

        var tls = Container(DeployPaths.Render("tls: {existingSecret: porthole-tls}"));
        Assert.Equal("HTTPS", Map(Map(tls["readinessProbe"])["httpGet"])["scheme"]);
    }

    [Fact]
    public void Deployment_GracePeriod_DrainTimeoutEndsBeforeIt()
    {
        var render = DeployPaths.Render();
        Assert.Equal(30.0, Pod(render)["terminationGracePeriodSeconds"]);
        Assert.Equal("25s", Env(render)["PORTHOLE_DRAIN_TIMEOUT"]);
        Assert.Contains("drainTimeoutSeconds (30) must be under terminationGracePeriodSeconds (30)", Fails("drainTimeoutSeconds: 30"), StringComparison.Ordinal);
        Assert.Equal("50s", Env(DeployPaths.Render("terminationGracePeriodSeconds: 60\ndrainTimeoutSeconds: 50"))["PORTHOLE_DRAIN_TIMEOUT"]);
    }

    [Fact]
    public void Render_ReplicasWithoutDatabase_RefusedWithTheReason()
    {
        var message = Fails("replicaCount: 2");
        Assert.Contains("deployment.yaml", message, StringComparison.Ordinal);
        Assert.Contains("replicaCount 2 needs database.existingSecret", message, StringComparison.Ordinal);
        Assert.Contains("only 1 replica is allowed", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replicaCount: 2\ndatabase: {existingSecret: db}")]
    [InlineData("database: {existingSecret: db}")]
    public void Render_DatabaseWithoutSessionSecret_RefusedWithTheReason(string values) =>
        Assert.Contains("database.existingSecret needs session.existingSecret", Fails(values), StringComparison.Ordinal);

    [Fact]
    public void Render_ReplicasWithDatabase_AffinityOnServiceAndIngress()
    {
        var render = DeployPaths.Render("replicaCount: 2\ndatabase: {existingSecret: db, secretKey: dsn}\nsession: {existingSecret: s}\ningress: {enabled: true}");
        Assert.Equal(2.0, Map(Object(render, "Deployment")["spec"])["replicas"]);
        var url = Map(Map(Env(render)["PORTHOLE_DATABASE_URL"])["secretKeyRef"]);
        Assert.Equal(("db", "dsn"), ((string)url["name"]!, (string)url["key"]!));
        Assert.Equal("s", Map(Map(Env(render)["PORTHOLE_SESSION_SECRET"])["secretKeyRef"])["name"]);
        var service = Map(Object(render, "Service")["spec"]);
        Assert.Equal("ClientIP", service["sessionAffinity"]);
        var annotations = Map(Map(Object(render, "Ingress")["metadata"])["annotations"]);
        Assert.Equal("cookie", annotations["nginx.ingress.kubernetes.io/affinity"]);
        Assert.Equal("persistent", annotations["nginx.ingress.kubernetes.io/affinity-mode"]);

        // One replica: no affinity, and no database egress without a database.
        var single = DeployPaths.Render("ingress: {enabled: true}");
        Assert.False(Map(Object(single, "Service")["spec"]).ContainsKey("sessionAffinity"));
        Assert.False(Map(Map(Object(single, "Ingress")["metadata"])["annotations"]).ContainsKey("nginx.ingress.kubernetes.io/affinity"));
        Assert.False(Env(single).ContainsKey("PORTHOLE_DATABASE_URL"));
        Assert.DoesNotContain("5432", single.Single("NetworkPolicy").Yaml, StringComparison.Ordinal);
        Assert.Contains("port: 5432", render.Single("NetworkPolicy").Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AuthModes_EachNeedsItsSettingsAndSecretsComeFromSecrets()
    {
        Assert.Contains("auth.mode \"none\" is not one of token, local, oidc, proxy", Fails("auth: {mode: none}"), StringComparison.Ordinal);
        Assert.Contains("auth.oidc.issuer is required", Fails("auth: {mode: oidc}"), StringComparison.Ordinal);
        Assert.Contains("auth.oidc.clientSecret.existingSecret is required", Fails("auth: {mode: oidc, oidc: {issuer: https://i, clientId: c}}"), StringComparison.Ordinal);
        Assert.Contains("auth.local.usersSecret is required", Fails("auth: {mode: local}"), StringComparison.Ordinal);
        Assert.Contains("auth.proxy.trustedProxies is required", Fails("auth: {mode: proxy}"), StringComparison.Ordinal);

        var oidc = DeployPaths.Render("auth: {mode: oidc, oidc: {issuer: https://dex.example.com, clientId: porthole, clientSecret: {existingSecret: oidc}}}");
        var env = Env(oidc);
        Assert.Equal("oidc", env["PORTHOLE_AUTH_MODE"]);
        Assert.Equal("https://dex.example.com", env["PORTHOLE_OIDC_ISSUER"]);
        Assert.Equal(("oidc", "client-secret"), ((string)Map(Map(env["PORTHOLE_OIDC_CLIENT_SECRET"])["secretKeyRef"])["name"]!, (string)Map(Map(env["PORTHOLE_OIDC_CLIENT_SECRET"])["secretKeyRef"])["key"]!));
        Assert.Contains("port: 443", oidc.Single("NetworkPolicy").Yaml, StringComparison.Ordinal);

        var local = DeployPaths.Render("auth: {mode: local, local: {usersSecret: users}}");
        Assert.Equal("/etc/porthole/users/users.yaml", Env(local)["PORTHOLE_USERS_FILE"]);
        Assert.Contains(List(Pod(local)["volumes"]).Select(Map), v => v["name"] is "users" && Map(v["secret"])["secretName"] is "users");

        // Nothing secret is ever a plain value in the manifests.
        Assert.All(new[] { oidc, local, DeployPaths.Render() }.SelectMany(r => Env(r)), e => Assert.False(e.Key.Contains("SECRET", StringComparison.Ordinal) && e.Value is string, e.Key));
    }

    [Fact]
    public void Render_ReadOnlyAdminGroupAndExtraEnv_ReachTheContainer()
    {
        var env = Env(DeployPaths.Render("readOnly: true\nauth: {adminGroup: platform}\nextraEnv: [{name: PORTHOLE_CORS_ORIGINS, value: \"https://c.example\"}]"));
        Assert.Equal("true", env["PORTHOLE_READ_ONLY"]);
        Assert.Equal("platform", env["PORTHOLE_ADMIN_GROUP"]);
        Assert.Equal("https://c.example", env["PORTHOLE_CORS_ORIGINS"]);
    }

    [Fact]
    public void ClusterRole_TokenMode_NoImpersonationAndNoSecrets()
    {
        var rules = List(Object(DeployPaths.Render(), "ClusterRole")["rules"]).Select(Map).ToList();
        Assert.DoesNotContain(rules, r => List(r["verbs"]).Contains("impersonate"));
        Assert.DoesNotContain(rules, r => r.TryGetValue("resources", out var res) && List(res).Any(x => x is "secrets" or "*" || ((string)x!).Contains('/', StringComparison.Ordinal)));
        Assert.All(rules, r => Assert.All(List(r["verbs"]), v => Assert.Contains(v, new object?[] { "get", "list", "watch", "create", "impersonate" })));
        Assert.All(rules.Where(r => List(r["verbs"]).Contains("create")), r => Assert.Equal(["selfsubjectaccessreviews", "subjectaccessreviews"], List(r["resources"])));

        var oidc = List(Object(DeployPaths.Render("auth: {mode: proxy, proxy: {trustedProxies: 10.0.0.0/8}}"), "ClusterRole")["rules"]).Select(Map);
        Assert.Contains(oidc, r => List(r["verbs"]).SequenceEqual(["impersonate"]) && List(r["resources"]).SequenceEqual(["groups", "serviceaccounts", "users"]));
    }

    [Fact]
    public void ClusterRole_ImpersonatingModes_IsKubeSimsSimPortholeRoleRuleForRule()
    {
        static string Rule(IReadOnlyDictionary<string, IEnumerable<string>> rule) =>
            string.Join(" | ", new[] { "verbs", "apiGroups", "resources", "nonResourceURLs" }.Select(k => k + "=" + string.Join(",", rule.TryGetValue(k, out var v) ? v.Order(StringComparer.Ordinal) : [])));

        var chart = List(Object(DeployPaths.Render("auth: {mode: proxy, proxy: {trustedProxies: 10.0.0.0/8}}"), "ClusterRole")["rules"])
            .Select(r => Rule(Map(r).ToDictionary(p => p.Key, p => List(p.Value).Select(x => (string)x!))))
            .Order(StringComparer.Ordinal);
        var sim = Porthole.KubeSim.Security.BootstrapPolicy.Objects()
            .Single(o => o.Plural == "clusterroles" && o.Object["metadata"]!["name"]!.GetValue<string>() == Porthole.KubeSim.Security.BootstrapPolicy.PortholeServerRole)
            .Object["rules"]!.AsArray()
            .Select(r => Rule(r!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(x => x!.GetValue<string>()))))
            .Order(StringComparer.Ordinal);
        Assert.Equal(chart, sim);
    }

    [Fact]
    public void Notes_DefaultInstall_SaysHowToReachItAndTheOneReplicaLimit()
    {
        var notes = DeployPaths.Render().Notes;
        Assert.Contains("kubectl --namespace porthole port-forward service/porthole 8090:80", notes, StringComparison.Ordinal);
        Assert.Contains("one replica only", notes, StringComparison.Ordinal);
    }
}
