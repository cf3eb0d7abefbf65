using k8s;
using k8s.Models;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Controllers.Workloads;

public sealed class DeploymentControllerTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public DeploymentControllerTests(SimFixture sim)
    {
        _sim = sim;
    }

    [Fact]
    public async Task Rollout_NewImage_MovesEveryPodToNewReplicaSetAndKeepsHistoryLimit()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "deploy-rollout");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", "nginx:1.26", 3, historyLimit: 1), ns);
        await Workloads.RolledOutAsync(client, ns, "web", 3);
        var first = Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items);
        Assert.Equal("1", Workloads.Revision(first.Metadata));
        var hash1 = first.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash1}", first.Metadata.Name);
        Assert.Equal(hash1, first.Spec.Selector.MatchLabels["pod-template-hash"]);
        Assert.Equal("Deployment", first.Metadata.OwnerReferences.Single().Kind);
        await Workloads.PodsAsync(client, ns, $"pod-template-hash={hash1}", 3, p => p.Metadata.Name.StartsWith($"web-{hash1}-", StringComparison.Ordinal));

        await Workloads.PatchImageAsync(client, ns, "web", "nginx:1.27");
        var rolled = await Workloads.RolledOutAsync(client, ns, "web", 3);
        Assert.Equal("2", Workloads.Revision(rolled.Metadata));
        Assert.Contains(rolled.Status.Conditions, c => c.Type == "Available" && c.Status == "True" && c.Reason == "MinimumReplicasAvailable");
        Assert.Contains(rolled.Status.Conditions, c => c.Type == "Progressing" && c.Status == "True" && c.Reason == "NewReplicaSetAvailable");
        var sets = (await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items;
        var newRs = sets.Single(rs => Workloads.Revision(rs.Metadata) == "2");
        var oldRs = sets.Single(rs => Workloads.Revision(rs.Metadata) == "1");
        Assert.Equal(3, newRs.Spec.Replicas);
        Assert.Equal(0, oldRs.Spec.Replicas);
        Assert.Equal("3", newRs.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"]);
        Assert.Equal("4", newRs.Metadata.Annotations["deployment.kubernetes.io/max-replicas"]);
        var hash2 = newRs.Metadata.Labels["pod-template-hash"];
        var pods = await Workloads.PodsAsync(client, ns, "app=web", 3, p => p.Metadata.Labels["pod-template-hash"] == hash2);
        Assert.All(pods.Items, p => Assert.Equal("nginx:1.27", p.Spec.Containers[0].Image));

        await Workloads.PatchImageAsync(client, ns, "web", "nginx:1.28");
        await Workloads.RolledOutAsync(client, ns, "web", 3);
        var kept = await Eventually.GetAsync(
            () => client.AppsV1.ListNamespacedReplicaSetAsync(ns),
            l => l.Items.Count == 2,
            Workloads.Deadline,
            "revision 1 cleaned up");
        Assert.Equal(["2", "3"], kept.Items.Select(rs => Workloads.Revision(rs.Metadata)).Order());
    }

    [Fact]
    public async Task Scale_UpAndDown_ChangesPodCount()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "deploy-scale");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("api", "nginx:1.27", 2), ns);
        await Workloads.RolledOutAsync(client, ns, "api", 2);

        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "api", ns);
        await Workloads.RolledOutAsync(client, ns, "api", 5);
        await Workloads.PodsAsync(client, ns, "app=api", 5);
        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "api", ns);
        await Workloads.RolledOutAsync(client, ns, "api", 1);
        await Workloads.PodsAsync(client, ns, "app=api", 1);
        var rs = Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items);
        Assert.Equal("1", rs.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"]);
    }

    [Fact]
    public async Task Recreate_NewImage_StopsOldPodsBeforeStartingNewOnes()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "deploy-recreate");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("db", "postgres:16", 2, strategy: "Recreate"), ns);
        await Workloads.RolledOutAsync(client, ns, "db", 2);
        var pods = _sim.Server.Registry.Find("", "v1", "pods")!;
        using var watch = _sim.Server.Store.Watch(pods, _sim.Server.Store.ResourceVersion, capacity: 0);

        await Workloads.PatchImageAsync(client, ns, "db", "postgres:17");
        await Workloads.RolledOutAsync(client, ns, "db", 2);
        await Workloads.PodsAsync(client, ns, "app=db", 2, p => p.Spec.Containers[0].Image == "postgres:17");
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        while (watch.Events.TryRead(out var e))
        {
            if (e.Object.Namespace != ns)
            {
                continue;
            }

            var image = e.Object.Parse()["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() ?? "";
            if (e.Type == WatchEvent.Deleted)
            {
                live.Remove(e.Object.Name);
                continue;
            }

            live[e.Object.Name] = image;
            Assert.False(live.ContainsValue("postgres:16") && live.ContainsValue("postgres:17"), "old and new pods ran side by side");
        }
    }

    [Fact]
    public async Task Delete_Deployment_CascadesToReplicaSetsAndPods()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "deploy-cascade");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("gone", "nginx:1.27", 2), ns);
        await Workloads.RolledOutAsync(client, ns, "gone", 2);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("gone", ns);
        await Eventually.GetAsync(
            async () => (await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Count + (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count,
            n => n == 0,
            Workloads.Deadline,
            "replicasets and pods deleted");
    }

    [Fact]
    public async Task Paused_TemplateChange_CreatesNoReplicaSetUntilResumed()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "deploy-paused");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("calm", "nginx:1.26", 1), ns);
        await Workloads.RolledOutAsync(client, ns, "calm", 1);
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":true}}""", V1Patch.PatchType.MergePatch), "calm", ns);
        await Workloads.PatchImageAsync(client, ns, "calm", "nginx:1.27");
        var paused = await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("calm", ns),
            d => d.Status?.ObservedGeneration == d.Metadata.Generation && d.Status?.Conditions?.Any(c => c.Reason == "DeploymentPaused") == true,
            Workloads.Deadline,
            "paused observed");
        Assert.Equal("Unknown", paused.Status.Conditions.Single(c => c.Type == "Progressing").Status);
        Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items);

        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":false}}""", V1Patch.PatchType.MergePatch), "calm", ns);
        await Workloads.RolledOutAsync(client, ns, "calm", 1);
        await Workloads.PodsAsync(client, ns, "app=calm", 1, p => p.Spec.Containers[0].Image == "nginx:1.27");
    }

    [Fact]
    public async Task Rollout_PodsNeverSchedule_ReportsProgressDeadlineExceeded()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "deploy-stuck");
        var deployment = Workloads.Deployment("stuck", "nginx:1.27", 2);
        deployment.Spec.ProgressDeadlineSeconds = 2;
        deployment.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "none-has-it" };
        await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);

        var stuck = await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("stuck", ns),
            d => d.Status?.Conditions?.Any(c => c.Type == "Progressing" && c.Status == "False") == true,
            Workloads.Deadline,
            "progress deadline exceeded");
        var progressing = stuck.Status.Conditions.Single(c => c.Type == "Progressing");
        Assert.Equal("ProgressDeadlineExceeded", progressing.Reason);
        Assert.Matches("^ReplicaSet \"stuck-\\w+\" has timed out progressing\\.$", progressing.Message);
        Assert.Contains(stuck.Status.Conditions, c => c.Type == "Available" && c.Status == "False" && c.Reason == "MinimumReplicasUnavailable");
        Assert.Equal(2, stuck.Status.UnavailableReplicas);
    }
}
