using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>
/// The real kubectl (1.32 and 1.30) against the simulator, through the kubeconfig it writes:
/// what an operator types, with the output a real cluster gives.
/// </summary>
public sealed partial class KubectlScenarioTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public KubectlScenarioTests(SimFixture sim)
    {
        _sim = sim;
    }

    private KubectlRunner Kubectl(string version) => new(KubectlRunner.Locate(version), _sim.KubeconfigPath);

    /// <summary>A fresh namespace per test and kubectl version, so the two versions never meet.</summary>
    private async Task<(KubectlRunner K, string Ns)> SetupAsync(string version, string name)
    {
        var k = Kubectl(version);
        var ns = $"{(version == "kubectl" ? "k" : "k130")}-{name}";
        await k.OkAsync("create", "namespace", ns);
        return (k, ns);
    }

    private static string Manifest(string text, string ns) => text.Replace("NS", ns, StringComparison.Ordinal);

    private async Task<string> WriteAsync(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) =>
        await Eventually.GetAsync(probe, done, TimeSpan.FromSeconds(60), what);

    private async Task WaitRunningAsync(KubectlRunner k, string ns, string pod) =>
        await EventuallyAsync(
            () => k.RunAsync("get", "pod", pod, "-n", ns, "-o", "jsonpath={.status.phase}"),
            r => r.Stdout.Trim() == "Running",
            $"pod {ns}/{pod} running");

    private const string PodYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: NS
          labels:
            app: web
        spec:
          containers:
          - name: app
            image: nginx:1.27
        """;

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task GetRawVersion_PrintsServerVersion(string version)
    {
        var k = Kubectl(version);
        var json = JsonNode.Parse(await k.OkAsync("get", "--raw", "/version"))!;
        Assert.Equal("1", (string?)json["major"]);
        var v = await k.RunAsync("version", "-o", "json");
        Assert.Contains("serverVersion", v.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task GetAndDescribe_PodsNodesNamespaces_ShowRealColumns(string version)
    {
        var (k, ns) = await SetupAsync(version, "get");
        var file = await WriteAsync(Manifest(PodYaml, ns));
        await k.OkAsync("create", "-f", file);
        await WaitRunningAsync(k, ns, "web");

        var pods = await k.OkAsync("get", "pods", "-n", ns, "-o", "wide");
        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE", pods);
        Assert.Matches(@"web\s+1/1\s+Running\s+0", pods);
        var nodes = await k.OkAsync("get", "nodes");
        Assert.Matches(@"kubesim-node-1\s+Ready", nodes);
        var namespaces = await k.OkAsync("get", "namespaces");
        Assert.Matches($@"{ns}\s+Active", namespaces);

        var describe = await k.OkAsync("describe", "pod", "web", "-n", ns);
        Assert.Contains("Status:           Running", describe, StringComparison.Ordinal);
        Assert.Contains("Successfully assigned", describe, StringComparison.Ordinal);
        Assert.Contains("Name:", await k.OkAsync("describe", "node", "kubesim-node-1"), StringComparison.Ordinal);
        Assert.Contains("Status:       Active", await k.OkAsync("describe", "namespace", ns), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Apply_ClientSideThenServerSide_UpdatesAndTracksManagers(string version)
    {
        var (k, ns) = await SetupAsync(version, "apply");
        var v1 = await WriteAsync(Manifest("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: NS
            data:
              color: blue
              size: large
            """, ns));
        Assert.Contains("configmap/settings created", await k.OkAsync("apply", "-f", v1), StringComparison.Ordinal);
        var v2 = await WriteAsync(Manifest("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: NS
            data:
              color: green
            """, ns));
        Assert.Contains("configmap/settings configured", await k.OkAsync("apply", "-f", v2), StringComparison.Ordinal);
        var data = JsonNode.Parse(await k.OkAsync("get", "configmap", "settings", "-n", ns, "-o", "json"))!["data"]!.AsObject();
        Assert.Equal("green", (string?)data["color"]);
        Assert.False(data.ContainsKey("size"), "apply removes keys dropped from the manifest");

        var ssa = await WriteAsync(Manifest("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: server-side
              namespace: NS
            data:
              mode: ssa
            """, ns));
        Assert.Contains("serverside-applied", await k.OkAsync("apply", "--server-side", "-f", ssa), StringComparison.Ordinal);
        var managed = await k.OkAsync("get", "configmap", "server-side", "-n", ns, "-o", "jsonpath={.metadata.managedFields[*].manager}", "--show-managed-fields");
        Assert.Contains("kubectl", managed, StringComparison.Ordinal);

        var conflicting = await WriteAsync(Manifest("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: server-side
              namespace: NS
            data:
              mode: other
            """, ns));
        var conflict = await k.RunAsync("apply", "--server-side", "--field-manager", "someone-else", "-f", conflicting);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict", conflict.Stderr, StringComparison.OrdinalIgnoreCase);
        await k.OkAsync("apply", "--server-side", "--force-conflicts", "--field-manager", "someone-else", "-f", conflicting);
        Assert.Equal("other", (await k.OkAsync("get", "configmap", "server-side", "-n", ns, "-o", "jsonpath={.data.mode}")).Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Patch_EachType_AndReplace(string version)
    {
        var (k, ns) = await SetupAsync(version, "patch");
        await k.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "-n", ns);
        await k.OkAsync("patch", "deployment", "web", "-n", ns, "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}""");
        Assert.Equal("nginx:1.28", (await k.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Trim());
        await k.OkAsync("patch", "deployment", "web", "-n", ns, "--type=merge", "-p", """{"metadata":{"labels":{"tier":"front"}}}""");
        await k.OkAsync("patch", "deployment", "web", "-n", ns, "--type=json", "-p", """[{"op":"replace","path":"/spec/replicas","value":3}]""");
        var obj = JsonNode.Parse(await k.OkAsync("get", "deploy", "web", "-n", ns, "-o", "json"))!;
        Assert.Equal("front", (string?)obj["metadata"]!["labels"]!["tier"]);
        Assert.Equal(3, (int?)obj["spec"]!["replicas"]);

        obj["spec"]!["replicas"] = 2;
        obj["metadata"]!.AsObject().Remove("resourceVersion"); // the deployment controller keeps writing status
        var file = await WriteAsync(obj.ToJsonString());
        Assert.Contains("replaced", await k.OkAsync("replace", "-f", file), StringComparison.Ordinal);
        Assert.Equal("2", (await k.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Delete_WithCascade_RemovesOrKeepsDependents(string version)
    {
        var (k, ns) = await SetupAsync(version, "cascade");
        await k.OkAsync("create", "configmap", "owner", "-n", ns);
        var uid = (await k.OkAsync("get", "cm", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        foreach (var name in new[] { "kept", "gone" })
        {
            await k.OkAsync("create", "configmap", name, "-n", ns);
        }

        var ownerRef = $$$"""{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"{{{uid}}}"}]}}""";
        await k.OkAsync("patch", "cm", "gone", "-n", ns, "--type=merge", "-p", ownerRef);
        await k.OkAsync("delete", "cm", "owner", "-n", ns, "--cascade=foreground");
        await EventuallyAsync(() => k.RunAsync("get", "cm", "gone", "-n", ns), r => r.ExitCode != 0 && r.Stderr.Contains("NotFound", StringComparison.Ordinal), "dependent deleted");

        await k.OkAsync("create", "configmap", "owner2", "-n", ns);
        var uid2 = (await k.OkAsync("get", "cm", "owner2", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        await k.OkAsync("patch", "cm", "kept", "-n", ns, "--type=merge", "-p", ownerRef.Replace(uid, uid2, StringComparison.Ordinal).Replace("\"owner\"", "\"owner2\"", StringComparison.Ordinal));
        await k.OkAsync("delete", "cm", "owner2", "-n", ns, "--cascade=orphan");
        await EventuallyAsync(() => k.RunAsync("get", "cm", "kept", "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}"), r => r.ExitCode == 0 && r.Stdout.Trim().Length == 0, "dependent orphaned");
    }
}
