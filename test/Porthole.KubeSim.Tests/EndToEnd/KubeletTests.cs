using System.Net;
using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Area 6: the simulated scheduler and kubelet as seen through the API.</summary>
public sealed class KubeletTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public KubeletTests(SimFixture sim)
    {
        _sim = sim;
    }

    [Fact]
    public async Task CreatePod_BecomesRunningWithIpNodeAndReady()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "run");
        var pod = await E2e.RunPodAsync(client, ns, E2e.Pod("runner"));
        Assert.False(string.IsNullOrEmpty(pod.Status.PodIP));
        Assert.Equal(pod.Status.PodIP, Assert.Single(pod.Status.PodIPs).Ip);
        Assert.False(string.IsNullOrEmpty(pod.Status.HostIP));
        Assert.Contains((await client.CoreV1.ListNodeAsync()).Items, n => n.Metadata.Name == pod.Spec.NodeName);
        Assert.NotNull(pod.Status.StartTime);
        var container = Assert.Single(pod.Status.ContainerStatuses);
        Assert.True(container.Ready);
        Assert.NotNull(container.State.Running);
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
        {
            Assert.Contains(pod.Status.Conditions, c => c.Type == type && c.Status == "True");
        }
    }

    [Fact]
    public async Task CreatePod_RecordsSchedulerAndKubeletEvents()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "events");
        var pod = await E2e.RunPodAsync(client, ns, E2e.Pod("noted"));
        var events = await Eventually.GetAsync(
            async () => (await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.kind=Pod,involvedObject.name=noted")).Items,
            items => items.Any(e => e.Reason == "Started"),
            E2e.PodDeadline,
            "Started event");
        Assert.All(events, e => Assert.Equal(pod.Metadata.Uid, e.InvolvedObject.Uid));
        var scheduled = Assert.Single(events, e => e.Reason == "Scheduled");
        Assert.Equal($"Successfully assigned {ns}/noted to {pod.Spec.NodeName}", scheduled.Message);
        Assert.Contains(events, e => e.Reason == "Created" && e.InvolvedObject.FieldPath == "spec.containers{app}");
    }

    [Fact]
    public async Task DeletePod_DefaultGrace_ReturnsTerminatingThenDisappears()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "grace");
        await E2e.RunPodAsync(client, ns, E2e.Pod("doomed"));
        var deleting = await client.CoreV1.DeleteNamespacedPodAsync("doomed", ns);
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        Assert.Equal(30, deleting.Metadata.DeletionGracePeriodSeconds);
        await Eventually.GetAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count,
            n => n == 0,
            E2e.PodDeadline,
            "pod gone");
        var (code, _) = await E2e.FailureAsync(() => client.CoreV1.ReadNamespacedPodAsync("doomed", ns));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task CreatePod_NodeSelectorMatchingNoNode_StaysPendingUnschedulable()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "unsched");
        var pod = E2e.Pod("stuck");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disktype"] = "no-such-disk" };
        await client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var stuck = await Eventually.GetAsync(
            () => client.CoreV1.ReadNamespacedPodAsync("stuck", ns),
            p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true,
            E2e.PodDeadline,
            "scheduling attempted");
        Assert.Equal("Pending", stuck.Status.Phase);
        Assert.Null(stuck.Spec.NodeName);
        var scheduled = stuck.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal(("False", "Unschedulable"), (scheduled.Status, scheduled.Reason));
        Assert.Contains("didn't match Pod's node affinity/selector", scheduled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CordonedNode_NewPodsAvoidIt()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "cordon");
        var nodes = (await client.CoreV1.ListNodeAsync()).Items.Select(n => n.Metadata.Name).ToList();
        Assert.True(nodes.Count >= 2);
        var cordoned = nodes[0];
        var cordon = new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.StrategicMergePatch);
        Assert.True((await client.CoreV1.PatchNodeAsync(cordon, cordoned)).Spec.Unschedulable);
        try
        {
            var names = Enumerable.Range(0, 2 * nodes.Count).Select(i => $"spread-{i}").ToList();
            foreach (var name in names)
            {
                await client.CoreV1.CreateNamespacedPodAsync(E2e.Pod(name), ns);
            }

            foreach (var name in names)
            {
                var pod = await E2e.RunningAsync(client, ns, name);
                Assert.NotEqual(cordoned, pod.Spec.NodeName);
            }
        }
        finally
        {
            await client.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":null}}", V1Patch.PatchType.StrategicMergePatch), cordoned);
        }
    }
}
