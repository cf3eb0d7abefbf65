using System.Text.RegularExpressions;

namespace Porthole.KubeSim.Tests.Kubectl;

public sealed partial class KubectlScenarioTests
{
    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Logs_TailAndFollowSince_StreamSequencedLines(string version)
    {
        var (k, ns) = await SetupAsync(version, "logs");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");
        var logs = await EventuallyAsync(() => k.RunAsync("logs", "web", "-n", ns, "--tail=5"), r => r.ExitCode == 0 && r.Stdout.Contains("seq=", StringComparison.Ordinal), "first log lines");
        Assert.Contains("seq=", logs.Stdout, StringComparison.Ordinal);

        var follow = await k.RunAsync(["logs", "-f", "--since=1h", "web", "-n", ns], stopWhen: text => Regex.Matches(text, "seq=").Count >= 3, timeout: TimeSpan.FromSeconds(60));
        var seqs = Regex.Matches(follow.Stdout, @"seq=(\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(seqs.Count >= 3, follow.ToString());
        Assert.Equal(Enumerable.Range(seqs[0], seqs.Count), seqs);
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Exec_CommandAndPipedStdin_RunInTheContainer(string version)
    {
        var (k, ns) = await SetupAsync(version, "exec");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");
        Assert.Equal("hello from web", (await k.OkAsync("exec", "web", "-n", ns, "--", "echo", "hello", "from", "web")).Trim());
        Assert.Equal("web", (await k.OkAsync("exec", "web", "-n", ns, "--", "sh", "-c", "echo $HOSTNAME")).Trim());
        var piped = await k.RunAsync(["exec", "-i", "web", "-n", ns, "--", "sh", "-c", "tr a-z A-Z"], stdin: "piped through\n");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal("PIPED THROUGH", piped.Stdout.Trim());
        var failed = await k.RunAsync("exec", "web", "-n", ns, "--", "sh", "-c", "exit 3");
        Assert.Equal(3, failed.ExitCode);
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task AuthCanI_ForEachUserAndWithAs_AnswersFromRbac(string version)
    {
        var k = Kubectl(version);
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "delete", "pods", "-A")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "list", "pods", "--context", "sim-viewer", "-n", "default")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "delete", "pods", "--context", "sim-viewer", "-n", "default")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "create", "pods/exec", "--context", "sim-dev", "-n", "team-a")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "create", "pods", "--context", "sim-dev", "-n", "default")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "impersonate", "users", "--context", "sim-porthole")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "delete", "pods", "--as", "sim-viewer", "-n", "default")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "get", "pods", "--as", "sim-viewer", "--as-group", "system:authenticated", "-n", "default")).Stdout.Trim());
        // What Porthole's hub asks before a user joins a shared watch: list and watch, namespaced or cluster-wide.
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "watch", "configmaps", "--as", "sim-dev", "--as-group", "system:authenticated", "-n", "team-a")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "list", "configmaps", "--as", "sim-dev", "--as-group", "system:authenticated", "-n", "default")).Stdout.Trim());
        Assert.Equal("no", (await k.RunAsync("auth", "can-i", "watch", "configmaps", "--as", "sim-dev", "--as-group", "system:authenticated", "-A")).Stdout.Trim());
        Assert.Equal("yes", (await k.RunAsync("auth", "can-i", "watch", "configmaps", "--as", "sim-viewer", "-A")).Stdout.Trim());
        var list = await k.OkAsync("auth", "can-i", "--list", "--context", "sim-dev", "-n", "team-a");
        Assert.Contains("pods/exec", list, StringComparison.Ordinal);
        Assert.Contains("sim-dev", await k.OkAsync("auth", "whoami", "--context", "sim-dev"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task GetWatch_ReceivesEventsAsTheyHappen(string version)
    {
        var (k, ns) = await SetupAsync(version, "watch");
        var watching = k.RunAsync(["get", "configmaps", "-n", ns, "-w", "--output-watch-events"], stopWhen: text => text.Contains("DELETED", StringComparison.Ordinal) && text.Contains("watched", StringComparison.Ordinal), timeout: TimeSpan.FromSeconds(60));
        await EventuallyAsync(() => Task.FromResult(_sim.Server.Counters.OpenWatches), n => n > 0, "kubectl watch open");
        await k.OkAsync("create", "configmap", "watched", "-n", ns);
        await k.OkAsync("delete", "configmap", "watched", "-n", ns);
        var result = await watching;
        Assert.Matches(@"ADDED\s+watched", result.Stdout);
        Assert.Matches(@"DELETED\s+watched", result.Stdout);
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Crd_ListedByApiResources_ServedAndExplained(string version)
    {
        var k = Kubectl(version);
        var suffix = version == "kubectl" ? "a" : "b";
        var crd = await WriteAsync($$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets{{suffix}}.example.com
            spec:
              group: example.com
              scope: Namespaced
              names:
                plural: widgets{{suffix}}
                singular: widget{{suffix}}
                kind: Widget{{suffix.ToUpperInvariant()}}
                shortNames: [wd{{suffix}}]
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        description: The widget's desired state.
                        properties:
                          size:
                            type: integer
                            description: How big the widget is.
            """);
        await k.OkAsync("apply", "-f", crd);
        var resources = await EventuallyAsync(() => k.RunAsync("api-resources", "--api-group=example.com"), r => r.Stdout.Contains($"widgets{suffix}", StringComparison.Ordinal), "CRD in api-resources");
        Assert.Matches($@"widgets{suffix}\s+wd{suffix}\s+example.com/v1\s+true\s+Widget{suffix.ToUpperInvariant()}", resources.Stdout);
        var cr = await WriteAsync($$"""
            apiVersion: example.com/v1
            kind: Widget{{suffix.ToUpperInvariant()}}
            metadata:
              name: first
              namespace: default
            spec:
              size: 3
            """);
        await k.OkAsync("apply", "-f", cr);
        Assert.Contains("first", await k.OkAsync("get", $"wd{suffix}", "-n", "default"), StringComparison.Ordinal);
        var explain = await k.OkAsync("explain", $"widgets{suffix}.spec.size");
        Assert.Contains("How big the widget is", explain, StringComparison.Ordinal);
        await k.OkAsync("delete", "crd", $"widgets{suffix}.example.com");
        await EventuallyAsync(() => k.RunAsync("api-resources", "--api-group=example.com"), r => !r.Stdout.Contains($"widgets{suffix}", StringComparison.Ordinal), "CRD gone from api-resources");
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Explain_BuiltInField_DescribesIt(string version)
    {
        var k = Kubectl(version);
        var explain = await k.OkAsync("explain", "deployment.spec.replicas");
        Assert.Contains("replicas", explain, StringComparison.Ordinal);
        Assert.Contains("integer", explain, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task GetChunkSize_PagesThroughEverything(string version)
    {
        var (k, ns) = await SetupAsync(version, "chunks");
        for (var i = 0; i < 7; i++)
        {
            await k.OkAsync("create", "configmap", $"c{i}", "-n", ns);
        }

        var output = await k.OkAsync("get", "configmaps", "-n", ns, "--chunk-size=2", "-o", "name");
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"configmap/c{i}"), output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("configmap/c", StringComparison.Ordinal)));
    }
}
