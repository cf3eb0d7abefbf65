namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>Node maintenance (cordon, drain through evictions and a PodDisruptionBudget, uncordon) and kubectl top.</summary>
public abstract partial class KubectlScenarioTests
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

    /// <summary>
    /// A node of this version's own, registered as a kubelet registers one: tainted so that no
    /// other test's pods land on it, since a drain evicts everything on the node.
    /// </summary>
    private const string NodeYaml = """
        apiVersion: v1
        kind: Node
        metadata:
          name: NODE
          labels:
            kubernetes.io/hostname: NODE
            kubernetes.io/os: linux
        spec:
          taints:
          - key: kubesim.io/scenario
            value: NODE
            effect: NoSchedule
        status:
          capacity: {cpu: "8", memory: 16362020Ki, pods: "110"}
          allocatable: {cpu: "8", memory: 16362020Ki, pods: "110"}
          conditions:
          - type: Ready
            status: "True"
            reason: KubeletReady
            message: kubelet is posting ready status
        """;

    private const string SpreadYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: spread
          namespace: NS
        spec:
          replicas: 3
          selector:
            matchLabels: {app: spread}
          template:
            metadata:
              labels: {app: spread}
            spec:
              tolerations:
              - key: kubesim.io/scenario
                operator: Exists
                effect: NoSchedule
              containers:
              - name: nginx
                image: nginx:1.27
        """;

    [Fact]
    public async Task CordonDrainUncordon_PodsUnderBudget_NodeEmptiedThenSchedulable()
    {
        var (k, ns) = await SetupAsync("drain");
        var node = $"{Prefix}-node";
        await k.OkAsync("create", "-f", await WriteAsync(NodeYaml.Replace("NODE", node, StringComparison.Ordinal)));
        try
        {
            foreach (var (name, on) in new[] { ("a", node), ("b", node), ("elsewhere", "kubesim-node-1") })
            {
                var pod = PinnedPodYaml.Replace("NAME", name, StringComparison.Ordinal).Replace("NODE", on, StringComparison.Ordinal);
                await k.OkAsync("create", "-f", await WriteAsync(Manifest(pod, ns)));
            }

            await k.OkAsync("create", "-f", await WriteAsync(Manifest(BudgetYaml, ns)));
            // Deployment pods may go to the node too: the drained node's are evicted and replaced elsewhere.
            await k.OkAsync("create", "-f", await WriteAsync(Manifest(SpreadYaml, ns)));
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
            Assert.Contains($"node/{node} cordoned", await k.OkAsync("cordon", node), StringComparison.Ordinal);
            Assert.Matches($@"{node}\s+Ready,SchedulingDisabled", await k.OkAsync("get", "nodes"));
            Assert.Equal(true, (bool?)(await GetJsonAsync(k, "get", "node", node))["spec"]!["unschedulable"]);

            var drain = await k.RunAsync(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=120s"], timeout: TimeSpan.FromSeconds(150));
            Assert.True(drain.ExitCode == 0, drain.ToString());
            Assert.Contains($"evicting pod {ns}/a", drain.Stderr + drain.Stdout, StringComparison.Ordinal);
            Assert.Contains($"node/{node} drained", drain.Stdout, StringComparison.Ordinal);

            var left = await k.OkAsync("get", "pods", "-n", ns, "-l", "app=drained", "-o", "name");
            Assert.Equal("pod/elsewhere", left.Trim());
            await RolledOutAsync(k, ns, "spread");
            await EventuallyAsync(
                () => k.RunAsync("get", "pods", "-n", ns, "-l", "app=spread", "-o", "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}"),
                r => r.Stdout.Trim().Split('\n') is { Length: 3 } lines && lines.All(l => l.EndsWith(" Running", StringComparison.Ordinal) && !l.StartsWith(node + " ", StringComparison.Ordinal)),
                "three spread pods running off the drained node");
            Assert.Matches(@"spread\s+3/3\s+3\s+3", await k.OkAsync("get", "deployment", "spread", "-n", ns));
            var onNode = await k.OkAsync("get", "pods", "-A", "--field-selector", $"spec.nodeName={node}", "-o", "name");
            Assert.Equal("", onNode.Trim());
            var budget = await GetJsonAsync(k, "get", "pdb", "drained", "-n", ns);
            Assert.Equal(0, (int?)budget["status"]!["disruptionsAllowed"]);
            Assert.Equal(1, (int?)budget["status"]!["currentHealthy"]);

            Assert.Contains($"node/{node} uncordoned", await k.OkAsync("uncordon", node), StringComparison.Ordinal);
            Assert.Equal("", (await k.OkAsync("get", "node", node, "-o", "jsonpath={.spec.unschedulable}")).Trim());
        }
        finally
        {
            await k.RunAsync("delete", "node", node, "--wait=false");
        }
    }

    [Fact]
    public async Task Top_PodsAndNodes_ShowUsage()
    {
        var (k, ns) = await SetupAsync("top");
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
