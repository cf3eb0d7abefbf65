using Porthole.KubeSim.Tests.Kubectl;

namespace Porthole.Tests.Deploy;

/// <summary>
/// The chart's objects on a cluster: the committed manifests, and a scaled-out variant (OIDC,
/// 3 replicas, PostgreSQL, Ingress with TLS, a PVC), go through the real kubectl 1.31 into
/// KubeSim with <c>apply --dry-run=server</c> and then for real; then the service account's
/// rights are asked with <c>kubectl auth can-i --as=system:serviceaccount:NS:porthole</c>:
/// everything Porthole does as itself is allowed, and nothing more.
/// </summary>
public sealed class ClusterApplyTests(KubeSimFixture fixture) : IClassFixture<KubeSimFixture>
{
    /// <summary>What Porthole's own identity does: discovery, the CRD watch, the shared watch cache, access reviews.</summary>
    public static readonly string[][] Needed =
    [
        ["get", "/api"], ["get", "/apis"], ["get", "/apis/apps/v1"], ["get", "/version"],
        ["list", "customresourcedefinitions.apiextensions.k8s.io"], ["watch", "customresourcedefinitions.apiextensions.k8s.io"],
        ["list", "pods", "-A"], ["watch", "pods", "-A"], ["get", "pods", "-n", "kube-system"],
        ["list", "deployments.apps", "-A"], ["watch", "replicasets.apps", "-A"], ["watch", "statefulsets.apps", "-A"],
        ["watch", "daemonsets.apps", "-A"], ["watch", "jobs.batch", "-A"], ["watch", "cronjobs.batch", "-A"],
        ["watch", "services", "-A"], ["watch", "configmaps", "-A"], ["watch", "events", "-A"], ["watch", "namespaces"],
        ["watch", "nodes"], ["watch", "persistentvolumes"], ["watch", "persistentvolumeclaims", "-A"],
        ["watch", "ingresses.networking.k8s.io", "-A"], ["watch", "endpointslices.discovery.k8s.io", "-A"],
        ["watch", "poddisruptionbudgets.policy", "-A"], ["watch", "horizontalpodautoscalers.autoscaling", "-A"],
        ["watch", "storageclasses.storage.k8s.io"],
        ["create", "subjectaccessreviews.authorization.k8s.io"], ["create", "selfsubjectaccessreviews.authorization.k8s.io"],
    ];

    /// <summary>What it must not do as itself: read secrets, run or change anything, or grant itself more.</summary>
    public static readonly string[][] Refused =
    [
        ["get", "secrets", "-n", "porthole"], ["list", "secrets", "-A"], ["watch", "secrets", "-A"],
        ["create", "pods", "--subresource=exec", "-n", "default"], ["get", "pods", "--subresource=exec", "-n", "default"],
        ["create", "pods", "--subresource=attach", "-n", "default"], ["create", "pods", "--subresource=portforward", "-n", "default"],
        ["get", "pods", "--subresource=log", "-n", "default"], ["get", "services", "--subresource=proxy", "-n", "default"],
        ["get", "nodes", "--subresource=proxy"],
        ["create", "pods", "-n", "default"], ["delete", "pods", "-n", "default"], ["patch", "deployments.apps", "-n", "default"],
        ["update", "configmaps", "-n", "default"], ["deletecollection", "pods", "-n", "default"], ["delete", "namespaces"],
        ["create", "serviceaccounts", "--subresource=token", "-n", "porthole"], ["create", "tokenreviews.authentication.k8s.io"],
        ["create", "clusterrolebindings.rbac.authorization.k8s.io"], ["escalate", "clusterroles.rbac.authorization.k8s.io"],
        ["bind", "clusterroles.rbac.authorization.k8s.io"], ["list", "roles.rbac.authorization.k8s.io", "-A"],
        ["create", "pods/eviction", "-n", "default"], ["create", "certificatesigningrequests.certificates.k8s.io"],
        ["*", "*"], ["get", "/logs"], ["post", "/api"],
    ];

    /// <summary>Impersonation: granted in auth modes local, oidc and proxy; mode token (the default) works with the user's own token and has none.</summary>
    public static readonly string[][] Impersonation =
    [
        ["impersonate", "users"], ["impersonate", "groups"], ["impersonate", "serviceaccounts", "-A"],
    ];

    public const string ScaledOut = """
        replicaCount: 3
        auth:
          mode: oidc
          oidc:
            issuer: https://dex.example.com
            clientId: porthole
            clientSecret: {existingSecret: porthole-oidc}
        database: {existingSecret: porthole-db}
        session: {existingSecret: porthole-session}
        tls: {existingSecret: porthole-tls}
        persistence: {enabled: true, accessModes: [ReadWriteMany]}
        ingress: {enabled: true, tlsSecret: porthole-ingress-tls}
        """;

    private KubectlRunner Kubectl() => new(KubectlRunner.Locate("kubectl.1.31"), fixture.WriteKubeconfig());

    [Fact]
    public async Task Apply_CommittedManifests_ServerDryRunThenRealAndEveryObjectStored()
    {
        var kubectl = Kubectl();
        await kubectl.OkAsync("create", "namespace", DeployPaths.Namespace);
        var dryRun = await kubectl.OkAsync("apply", "--dry-run=server", "-f", DeployPaths.Manifests);
        var manifests = DeployPaths.Render().Manifests;
        Assert.All(manifests, m => Assert.Contains($"{m.Name} created (server dry run)", dryRun, StringComparison.Ordinal));
        Assert.Contains("Error from server (NotFound)", (await kubectl.RunAsync("get", "deployment", "porthole", "-n", DeployPaths.Namespace)).Stderr, StringComparison.Ordinal);

        var applied = await kubectl.OkAsync("apply", "-f", DeployPaths.Manifests);
        Assert.All(manifests, m => Assert.Contains($"{m.Name} created", applied, StringComparison.Ordinal));
        foreach (var m in manifests)
        {
            var resource = m.Kind.ToLowerInvariant();
            var scope = m.Kind is "ClusterRole" or "ClusterRoleBinding" ? [] : new[] { "-n", DeployPaths.Namespace };
            Assert.Equal(m.Name, (await kubectl.OkAsync(["get", resource, m.Name, .. scope, "-o", "jsonpath={.metadata.name}"])).Trim());
        }

        // Applying again changes nothing: what the API server stored is what the chart says.
        var again = await kubectl.OkAsync("apply", "-f", DeployPaths.Manifests);
        Assert.All(manifests, m => Assert.Contains($"{m.Name} unchanged", again, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CanI_DefaultInstall_ExactlyWhatPortholeNeeds()
    {
        var kubectl = Kubectl();
        await ApplyAsync(kubectl, "porthole-rbac", DeployPaths.Render().Yaml.Replace("namespace: porthole", "namespace: porthole-rbac", StringComparison.Ordinal));
        var sa = "system:serviceaccount:porthole-rbac:porthole";
        var answers = await CanIAsync(kubectl, sa, [.. Needed, .. Refused, .. Impersonation]);
        Assert.All(Needed, n => Assert.True(answers[string.Join(' ', n)], $"{sa} may not {string.Join(' ', n)}"));
        Assert.All(Refused.Concat(Impersonation), n => Assert.False(answers[string.Join(' ', n)], $"{sa} may {string.Join(' ', n)}"));
    }

    [Fact]
    public async Task CanI_ScaledOutOidcInstall_AlsoImpersonatesAndStillNoMore()
    {
        var kubectl = Kubectl();
        var render = Helm.ChartRenderer.Render(DeployPaths.Chart, "edge", "porthole-edge", ScaledOut);
        await ApplyAsync(kubectl, "porthole-edge", render.Yaml);
        var sa = "system:serviceaccount:porthole-edge:edge-porthole";
        var answers = await CanIAsync(kubectl, sa, [.. Needed, .. Refused, .. Impersonation]);
        Assert.All(Needed.Concat(Impersonation), n => Assert.True(answers[string.Join(' ', n)], $"{sa} may not {string.Join(' ', n)}"));
        Assert.All(Refused, n => Assert.False(answers[string.Join(' ', n)], $"{sa} may {string.Join(' ', n)}"));

        // What the API server stored: affinity on the Service, the sticky cookie on the Ingress.
        Assert.Equal("ClientIP", (await kubectl.OkAsync("get", "service", "edge-porthole", "-n", "porthole-edge", "-o", "jsonpath={.spec.sessionAffinity}")).Trim());
        Assert.Equal("cookie", (await kubectl.OkAsync("get", "ingress", "edge-porthole", "-n", "porthole-edge", "-o", "jsonpath={.metadata.annotations.nginx\\.ingress\\.kubernetes\\.io/affinity}")).Trim());
        Assert.Equal("3", (await kubectl.OkAsync("get", "deployment", "edge-porthole", "-n", "porthole-edge", "-o", "jsonpath={.spec.replicas}")).Trim());
    }

    private static async Task ApplyAsync(KubectlRunner kubectl, string ns, string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"porthole-chart-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            await kubectl.OkAsync("create", "namespace", ns);
            await kubectl.OkAsync("apply", "--dry-run=server", "-f", file);
            await kubectl.OkAsync("apply", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary><c>kubectl auth can-i VERB RESOURCE... --as=SA</c> for each question: exit 0 "yes", exit 1 "no".</summary>
    private static async Task<Dictionary<string, bool>> CanIAsync(KubectlRunner kubectl, string user, IEnumerable<string[]> questions)
    {
        var answers = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var question in questions)
        {
            var result = await kubectl.RunAsync(["auth", "can-i", .. question, $"--as={user}"]);
            var answer = result.Stdout.Trim();
            Assert.True(answer is "yes" or "no" && result.ExitCode == (answer == "yes" ? 0 : 1), $"kubectl auth can-i {string.Join(' ', question)}: {result}");
            answers[string.Join(' ', question)] = answer == "yes";
        }

        return answers;
    }
}
