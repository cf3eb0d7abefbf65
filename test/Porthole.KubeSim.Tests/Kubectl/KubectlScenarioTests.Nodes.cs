namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>Node maintenance (cordon, drain through evictions and a PodDisruptionBudget, uncordon) and kubectl top.</summary>
public sealed partial class KubectlScenarioTests
{
    private const string PinnedPodYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: NAME
          namespace: NS
          labels:
            app: drained
        spec:
          nodeName: NODE
          containers:
          - name: app
            image: nginx:1.27
        """;

    private const string BudgetYaml = """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: drained
          namespace: NS
        spec:
          minAvailable: 1
          selector:
            matchLabels:
              app: drained
        """;

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task CordonDrainUncordon_PodsUnderBudget_NodeEmptiedThenSchedulable(string version)
    {
        var (k, ns) = await SetupAsync(version, "drain");
        var node = version == "kubectl" ? "kubesim-node-2" : "kubesim-node-3";
        foreach (var (name, on) in new[] { ("a", node), ("b", node), ("elsewhere", "kubesim-node-1") })
        {
            var pod = PinnedPodYaml.Replace("NAME", name, StringComparison.Ordinal).Replace("NODE", on, StringComparison.Ordinal);
            await k.OkAsync("create", "-f", await WriteAsync(Manifest(pod, ns)));
        }

        await k.OkAsync("create", "-f", await WriteAsync(Manifest(BudgetYaml, ns)));
        // Deployment pods spread over the nodes: the drained node's are evicted and replaced elsewhere.
        await k.OkAsync("create", "deployment", "spread", "--image=nginx:1.27", "--replicas=3", "-n", ns);
        foreach (var name in new[] { "a", "b", "elsewhere" })
        {
            await WaitRunningAsync(k, ns, name);
        }

        await RolledOutAsync(k, ns, "spread");

        // Three healthy, one needed: the budget allows the two evictions the drain makes.
        await EventuallyAsync(
            () => k.RunAsync("get", "pdb", "drained", "-n", ns, "-o", "jsonpath={.status.disruptionsAllowed}"),
            r => r.Stdout.Trim() == "2",
            "budget allows two disruptions");

        Assert.Matches(@"NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE", await k.OkAsync("get", "pdb", "-n", ns));
        Assert.Matches(@"drained\s+1\s+N/A\s+2\s+", await k.OkAsync("get", "pdb", "-n", ns));
        try
        {
            Assert.Contains($"node/{node} cordoned", await k.OkAsync("cordon", node), StringComparison.Ordinal);
            Assert.Matches($@"{node}\s+Ready,SchedulingDisabled", await k.OkAsync("get", "nodes"));

            var drain = await k.RunAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=120s"], timeout: TimeSpan.FromSeconds(150));
            Assert.True(drain.ExitCode == 0, drain.ToString());
            Assert.Contains($"evicting pod {ns}/a", drain.Stderr + drain.Stdout, StringComparison.Ordinal);
            Assert.Contains($"node/{node} drained", drain.Stdout, StringComparison.Ordinal);

            var left = await k.OkAsync("get", "pods", "-n", ns, "-l", "app=drained", "-o", "name");
            Assert.Equal("pod/elsewhere", left.Trim());
            await RolledOutAsync(k, ns, "spread");
            var spread = await EventuallyAsync(
                () => k.RunAsync("get", "pods", "-n", ns, "-l", "app=spread", "-o", "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}"),
                r => r.Stdout.Trim().Split('\n') is { Length: 3 } lines && lines.All(l => l.EndsWith(" Running", StringComparison.Ordinal) && !l.StartsWith(node + " ", StringComparison.Ordinal)),
                "three spread pods running off the drained node");
            Assert.Matches(@"spread\s+3/3\s+3\s+3", await k.OkAsync("get", "deployment", "spread", "-n", ns));
            var onNode = await k.RunAsync("get", "pods", "-A", "--field-selector", $"spec.nodeName={node}", "-o", "name");
            Assert.DoesNotContain($"{ns}/", onNode.Stdout, StringComparison.Ordinal);
            Assert.Equal("0", (await k.OkAsync("get", "pdb", "drained", "-n", ns, "-o", "jsonpath={.status.disruptionsAllowed}")).Trim());

            Assert.Contains($"node/{node} uncordoned", await k.OkAsync("uncordon", node), StringComparison.Ordinal);
            Assert.Equal("", (await k.OkAsync("get", "node", node, "-o", "jsonpath={.spec.unschedulable}")).Trim());
        }
        finally
        {
            // Never leave the shared node cordoned for the scenarios that follow.
            await k.RunAsync("uncordon", node);
        }
    }

    [Theory]
    [MemberData(nameof(KubectlRunner.Versions), MemberType = typeof(KubectlRunner))]
    public async Task Top_PodsAndNodes_ShowUsage(string version)
    {
        var (k, ns) = await SetupAsync(version, "top");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");

        var pods = await EventuallyAsync(() => k.RunAsync("top", "pods", "-n", ns), r => r.ExitCode == 0 && r.Stdout.Contains("web", StringComparison.Ordinal), "top pods");
        Assert.Matches(@"NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)", pods.Stdout);
        Assert.Matches(@"web\s+\d+m\s+\d+Mi", pods.Stdout);
        var nodes = await k.OkAsync("top", "nodes");
        Assert.Matches(@"NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)", nodes);
        Assert.Matches(@"kubesim-node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%", nodes);
    }
}
