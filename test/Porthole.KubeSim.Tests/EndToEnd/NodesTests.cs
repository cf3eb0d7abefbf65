using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Porthole.KubeSim.Metrics;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>The simulated nodes and their metrics as a client reads them over HTTPS.</summary>
public sealed class NodesTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public NodesTests(SimFixture sim)
    {
        _sim = sim;
    }

    [Fact]
    public async Task ListNodes_Default_CapacityAllocatableConditionsAndKubeletVersion()
    {
        using var client = _sim.Client();
        var nodes = (await client.CoreV1.ListNodeAsync()).Items;
        var version = await client.Version.GetCodeAsync();

        Assert.Equal(["kubesim-node-1", "kubesim-node-2", "kubesim-node-3"], nodes.Select(n => n.Metadata.Name).Order());
        Assert.All(nodes, node =>
        {
            foreach (var resource in new[] { "cpu", "memory", "pods", "ephemeral-storage" })
            {
                Assert.True(node.Status.Capacity.ContainsKey(resource), $"{node.Metadata.Name} capacity lacks {resource}");
                Assert.True(node.Status.Allocatable[resource].ToDecimal() <= node.Status.Capacity[resource].ToDecimal(), $"{resource} allocatable above capacity");
                Assert.True(node.Status.Allocatable[resource].ToDecimal() > 0, $"no allocatable {resource}");
            }

            var ready = Assert.Single(node.Status.Conditions, c => c.Type == "Ready");
            Assert.Equal(("True", "KubeletReady"), (ready.Status, ready.Reason));
            Assert.All(node.Status.Conditions.Where(c => c.Type != "Ready"), c => Assert.Equal("False", c.Status));
            Assert.Equal($"v{version.Major}.{version.Minor}", node.Status.NodeInfo.KubeletVersion[..5]);
            Assert.Contains(node.Status.Addresses, a => a.Type == "InternalIP");
        });
    }

    [Fact]
    public async Task NodeMetrics_AcrossScrapeWindows_UsageMoves()
    {
        using var http = _sim.Http();
        var first = await E2e.GetJsonAsync(http, "/apis/metrics.k8s.io/v1beta1/nodes/kubesim-node-2");

        // metrics-server scrapes every 15 s; the next window brings a new sample.
        var next = await Eventually.GetAsync(
            () => E2e.GetJsonAsync(http, "/apis/metrics.k8s.io/v1beta1/nodes/kubesim-node-2"),
            m => (string?)m["timestamp"] != (string?)first["timestamp"],
            MetricsApi.Window * 4,
            "a new scrape window");

        Assert.Equal("15s", (string?)next["window"]);
        Assert.True(DateTimeOffset.Parse((string)next["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse((string)first["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(Usage(first), Usage(next));
    }

    [Fact]
    public async Task NodeMetrics_PodStartsOnNode_NodeUsageIncludesIt()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "nodeuse");
        var pod = E2e.Pod("pinned");
        pod.Spec.NodeName = "kubesim-node-3";
        await E2e.RunPodAsync(client, ns, pod);
        using var http = _sim.Http();

        var podUsage = await E2e.GetJsonAsync(http, $"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/pinned");
        var nodeUsage = await E2e.GetJsonAsync(http, "/apis/metrics.k8s.io/v1beta1/nodes/kubesim-node-3");

        var podCpu = podUsage["containers"]!.AsArray().Sum(c => new ResourceQuantity((string)c!["usage"]!["cpu"]!).ToDecimal());
        Assert.True(podCpu > 0);
        Assert.True(new ResourceQuantity((string)nodeUsage["usage"]!["cpu"]!).ToDecimal() > podCpu);
    }

    private static string Usage(JsonObject metrics) => metrics["usage"]!.ToJsonString();
}
