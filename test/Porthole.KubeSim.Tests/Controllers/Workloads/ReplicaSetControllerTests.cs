using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Controllers.Workloads;

public sealed class ReplicaSetControllerTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public ReplicaSetControllerTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static V1ReplicaSet ReplicaSet(string name, int replicas, int minReadySeconds = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Workloads.Template(name, "nginx:1.27"),
        },
    };

    private static V1Pod Pod(string name, string app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    [Fact]
    public async Task Create_OrphanPodMatches_AdoptsItAndCreatesTheRest()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "rs-adopt");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("stray", "cache"), ns);
        await Workloads.PodsAsync(client, ns, "app=cache", 1);

        var rs = await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("cache", 3), ns);
        var pods = await Workloads.PodsAsync(client, ns, "app=cache", 3);
        Assert.All(pods.Items, p => Assert.Equal(rs.Metadata.Uid, p.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid));
        Assert.Contains(pods.Items, p => p.Metadata.Name == "stray");
        Assert.All(pods.Items.Where(p => p.Metadata.Name != "stray"), p => Assert.Matches("^cache-[bcdfghjklmnpqrstvwxz2456789]{5}$", p.Metadata.Name));
        var status = await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedReplicaSetAsync("cache", ns),
            r => r.Status?.ReadyReplicas == 3 && r.Status?.AvailableReplicas == 3,
            Workloads.Deadline,
            "replicaset status");
        Assert.Equal(3, status.Status.Replicas);
        Assert.Equal(3, status.Status.FullyLabeledReplicas);
        Assert.Equal(status.Metadata.Generation, status.Status.ObservedGeneration);
    }

    [Fact]
    public async Task ExtraPod_MatchingSelector_IsAdoptedAndTheNotReadyOneDeleted()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "rs-extra");
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("queue", 2), ns);
        var before = await Workloads.PodsAsync(client, ns, "app=queue", 2, p => p.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"));

        await client.CoreV1.CreateNamespacedPodAsync(Pod("intruder", "queue"), ns);
        var after = await Workloads.PodsAsync(client, ns, "app=queue", 2);
        Assert.Equal(before.Items.Select(p => p.Metadata.Name).Order(), after.Items.Select(p => p.Metadata.Name).Order());
    }

    [Fact]
    public async Task Scale_ToZeroAndBack_RemovesAndRecreatesPods()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "rs-scale");
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("batch", 4), ns);
        await Workloads.PodsAsync(client, ns, "app=batch", 4);
        await client.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch("""{"spec":{"replicas":0}}""", V1Patch.PatchType.MergePatch), "batch", ns);
        await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync(ns), l => l.Items.Count == 0, Workloads.Deadline, "scaled to zero");
        var zero = await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedReplicaSetAsync("batch", ns), r => r.Status?.Replicas == 0 && r.Status?.ObservedGeneration == r.Metadata.Generation, Workloads.Deadline, "status at zero");
        Assert.Null(zero.Status.ReadyReplicas);
    }

    [Fact]
    public async Task Scale_ThousandReplicas_AllRunningAndReady()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "rs-thousand");
        var started = DateTime.UtcNow;
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("swarm", 1000), ns);
        await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedReplicaSetAsync("swarm", ns),
            r => r.Status?.ReadyReplicas == 1000,
            TimeSpan.FromSeconds(180),
            "1000 ready replicas");
        var elapsed = DateTime.UtcNow - started;
        Assert.True(elapsed < TimeSpan.FromSeconds(180), $"took {elapsed}");
        Assert.Equal(1000, _sim.Server.Store.Count(_sim.Server.Registry.Find("", "v1", "pods")!, ns));
    }
}
