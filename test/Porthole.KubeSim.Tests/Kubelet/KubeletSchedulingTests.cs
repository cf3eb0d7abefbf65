using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Tests.Kubelet;

public sealed class KubeletSchedulingTests
{
    [Fact]
    public async Task Run_PodsWithoutNode_SpreadOverLeastLoadedNodes()
    {
        await using var cluster = await SimCluster.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", $"web-{i}"));
        }

        Assert.True(await cluster.WaitFor(() => Enumerable.Range(0, 6).All(i => cluster.Get("default", $"web-{i}")!.Str("spec", "nodeName") is not null)));
        var perNode = Enumerable.Range(0, 6).GroupBy(i => cluster.Get("default", $"web-{i}")!.Str("spec", "nodeName")).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(3, perNode.Count);
        Assert.All(perNode.Values, c => Assert.Equal(2, c));
    }

    [Fact]
    public async Task Run_CordonedNode_IsSkipped()
    {
        await using var cluster = await SimCluster.StartAsync(before: c =>
            c.Store.Mutate(c.Nodes, "", "kubesim-node-2", n =>
            {
                n.Set(["spec", "unschedulable"], true);
                return true;
            }));
        for (var i = 0; i < 6; i++)
        {
            cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", $"p{i}"));
        }

        Assert.True(await cluster.WaitFor(() => Enumerable.Range(0, 6).All(i => cluster.Get("default", $"p{i}")!.Str("spec", "nodeName") is not null)));
        var nodes = Enumerable.Range(0, 6).Select(i => cluster.Get("default", $"p{i}")!.Str("spec", "nodeName")).ToHashSet();
        Assert.Equal(["kubesim-node-1", "kubesim-node-3"], nodes.Order());
    }

    [Fact]
    public async Task Run_NoNodeFits_PendingUnschedulableWithFailedSchedulingEvent()
    {
        await using var cluster = await SimCluster.StartAsync(before: c =>
            c.Store.Mutate(c.Nodes, "", "kubesim-node-3", n =>
            {
                n.Set(["spec", "unschedulable"], true);
                return true;
            }));
        var pod = SimCluster.Pod("default", "picky");
        pod.Set(["spec", "nodeSelector"], new JsonObject { ["disk"] = "ssd" });
        cluster.Store.Create(cluster.Pods, pod);

        const string message = "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        Assert.True(await cluster.WaitFor(() => cluster.EventsFor("picky").Any(e => e.Str("reason") == "FailedScheduling")));
        var current = cluster.Get("default", "picky")!;
        Assert.Equal("Pending", current.Str("status", "phase"));
        var scheduled = current.Arr("status", "conditions")!.Single()!;
        Assert.Equal("PodScheduled", scheduled.Str("type"));
        Assert.Equal("False", scheduled.Str("status"));
        Assert.Equal("Unschedulable", scheduled.Str("reason"));
        Assert.Equal(message, scheduled.Str("message"));
        var failed = cluster.EventsFor("picky").Single(e => e.Str("reason") == "FailedScheduling");
        Assert.Equal("Warning", failed.Str("type"));
        Assert.Equal(message, failed.Str("message"));
        Assert.Equal("default-scheduler", failed.Str("reportingComponent"));

        cluster.Store.Mutate(cluster.Nodes, "", "kubesim-node-2", n =>
        {
            n.Metadata()["labels"]!["disk"] = "ssd";
            return true;
        });
        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "picky")!.Str("spec", "nodeName") == "kubesim-node-2", TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Run_TaintedNode_OnlyTolerantPodsLand()
    {
        await using var cluster = await SimCluster.StartAsync(nodes: 1, before: c =>
            c.Store.Mutate(c.Nodes, "", "kubesim-node-1", n =>
            {
                n.Set(["spec", "taints"], new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" }));
                return true;
            }));
        cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", "plain"));
        var tolerant = SimCluster.Pod("default", "tolerant");
        tolerant.Set(["spec", "tolerations"], new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["operator"] = "Exists", ["effect"] = "NoSchedule" }));
        cluster.Store.Create(cluster.Pods, tolerant);

        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "tolerant")!.Str("spec", "nodeName") == "kubesim-node-1"));
        Assert.True(await cluster.WaitFor(() => cluster.EventsFor("plain").Count > 0));
        Assert.Equal(
            "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
            cluster.EventsFor("plain").Single().Str("message"));
    }

    [Fact]
    public async Task Run_OtherSchedulerName_LeftForThatScheduler()
    {
        await using var cluster = await SimCluster.StartAsync();
        var custom = SimCluster.Pod("default", "custom");
        custom.Set(["spec", "schedulerName"], "my-scheduler");
        cluster.Store.Create(cluster.Pods, custom);
        cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", "normal"));

        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "normal")!.Str("spec", "nodeName") is not null));
        await Task.Delay(100);
        Assert.Null(cluster.Get("default", "custom")!.Str("spec", "nodeName"));
        Assert.Empty(cluster.EventsFor("custom"));
    }
}
