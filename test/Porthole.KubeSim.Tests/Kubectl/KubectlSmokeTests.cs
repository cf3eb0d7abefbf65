using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>
/// What every installed kubectl (1.27 to 1.33) must do against the simulator, each version by
/// its own binary (<c>kubectl.1.NN</c>): version, get and describe, apply (client- and
/// server-side), logs, exec and auth can-i. <see cref="KubectlScenarioTests"/> adds the full
/// operator scenario for 1.30 and later. Every test checks the cluster's state afterwards, not
/// only kubectl's exit code.
/// </summary>
public abstract partial class KubectlSmokeTests : IClassFixture<KubectlCluster>
{
    private static readonly ConcurrentDictionary<(string, string), KubectlRunner> Runners = new();

    protected KubectlSmokeTests(KubectlCluster cluster, string version)
    {
        Sim = cluster.Sim;
        Version = version;
    }

    protected SimFixture Sim { get; }

    /// <summary>"1.30": the binary is kubectl.1.30.</summary>
    protected string Version { get; }

    /// <summary>"k130": names this version's namespaces and cluster-scoped objects, so versions never meet.</summary>
    protected string Prefix => "k" + Version.Replace(".", "", StringComparison.Ordinal);

    /// <summary>This version's runner; one per version and cluster, so its discovery cache is reused.</summary>
    protected KubectlRunner Kubectl() =>
        Runners.GetOrAdd((Version, Sim.KubeconfigPath), key => new KubectlRunner(KubectlRunner.Locate("kubectl." + key.Item1), key.Item2));

    /// <summary>A fresh namespace per test and kubectl version.</summary>
    protected async Task<(KubectlRunner K, string Ns)> SetupAsync(string name)
    {
        var k = Kubectl();
        var ns = $"{Prefix}-{name}";
        await k.OkAsync("create", "namespace", ns);
        return (k, ns);
    }

    protected static string Manifest(string text, string ns) => text.Replace("NS", ns, StringComparison.Ordinal);

    protected static async Task<string> WriteAsync(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) =>
        await Eventually.GetAsync(probe, done, TimeSpan.FromSeconds(90), what);

    protected static async Task WaitRunningAsync(KubectlRunner k, string ns, string pod) =>
        await EventuallyAsync(
            () => k.RunAsync("get", "pod", pod, "-n", ns, "-o", "jsonpath={.status.phase}"),
            r => r.Stdout.Trim() == "Running",
            $"pod {ns}/{pod} running");

    /// <summary>kubectl get -o json of one object.</summary>
    protected static async Task<JsonNode> GetJsonAsync(KubectlRunner k, params string[] args) =>
        JsonNode.Parse(await k.OkAsync([.. args, "-o", "json"]))!;

    /// <summary>Equal as JSON values (object keys in any order, as a Go client would read them).</summary>
    protected static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    protected const string PodYaml = """
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

    [Fact]
    public async Task Version_ClientAndServer_ReportTheirVersions()
    {
        var k = Kubectl();
        var raw = JsonNode.Parse(await k.OkAsync("get", "--raw", "/version"))!;
        Assert.Equal("1", (string?)raw["major"]);

        var version = await GetJsonAsync(k, "version");
        Assert.Equal(Version.Split('.')[1], (string?)version["clientVersion"]!["minor"]);
        Assert.Equal((string?)raw["gitVersion"], (string?)version["serverVersion"]!["gitVersion"]);
    }

    [Fact]
    public async Task GetAndDescribe_PodsNodesNamespaces_ShowRealColumns()
    {
        var (k, ns) = await SetupAsync("get");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");

        var pods = await k.OkAsync("get", "pods", "-n", ns, "-o", "wide");
        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE", pods);
        Assert.Matches(@"web\s+1/1\s+Running\s+0", pods);
        Assert.Matches(@"kubesim-node-1\s+Ready", await k.OkAsync("get", "nodes"));
        Assert.Matches($@"{ns}\s+Active", await k.OkAsync("get", "namespaces"));

        var describe = await k.OkAsync("describe", "pod", "web", "-n", ns);
        Assert.Contains("Status:           Running", describe, StringComparison.Ordinal);
        Assert.Contains("Successfully assigned", describe, StringComparison.Ordinal);
        Assert.Contains("Name:", await k.OkAsync("describe", "node", "kubesim-node-1"), StringComparison.Ordinal);
        Assert.Contains("Status:       Active", await k.OkAsync("describe", "namespace", ns), StringComparison.Ordinal);

        var pod = await GetJsonAsync(k, "get", "pod", "web", "-n", ns);
        Assert.Equal("nginx:1.27", (string?)pod["spec"]!["containers"]![0]!["image"]);
        Assert.StartsWith("kubesim-node-", (string?)pod["spec"]!["nodeName"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ClientSideThenServerSide_UpdatesAndTracksManagers()
    {
        var (k, ns) = await SetupAsync("apply");
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
        var settings = await GetJsonAsync(k, "get", "configmap", "settings", "-n", ns);
        var data = settings["data"]!.AsObject();
        Assert.Equal("green", (string?)data["color"]);
        Assert.False(data.ContainsKey("size"), "apply removes keys dropped from the manifest");
        Assert.Contains("\"color\":\"green\"", (string?)settings["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"], StringComparison.Ordinal);

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
        Assert.Equal("ssa", (await k.OkAsync("get", "configmap", "server-side", "-n", ns, "-o", "jsonpath={.data.mode}")).Trim());
        await k.OkAsync("apply", "--server-side", "--force-conflicts", "--field-manager", "someone-else", "-f", conflicting);
        Assert.Equal("other", (await k.OkAsync("get", "configmap", "server-side", "-n", ns, "-o", "jsonpath={.data.mode}")).Trim());
    }
}
