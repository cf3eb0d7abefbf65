using k8s;
using k8s.Models;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Controllers.Workloads;

public sealed class StatefulSetControllerTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public StatefulSetControllerTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static V1StatefulSet StatefulSet(string name, int replicas, string policy = "OrderedReady") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            PodManagementPolicy = policy,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Workloads.Template(name, "redis:7"),
        },
    };

    [Fact]
    public async Task Create_OrderedReady_StartsEachPodAfterThePreviousIsReady()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "sts-order");
        var pods = _sim.Server.Registry.Find("", "v1", "pods")!;
        using var watch = _sim.Server.Store.Watch(pods, _sim.Server.Store.ResourceVersion, capacity: 0);
        await client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("db", 3), ns);
        var running = await Workloads.PodsAsync(client, ns, "app=db", 3);
        Assert.Equal(["db-0", "db-1", "db-2"], running.Items.Select(p => p.Metadata.Name).Order());
        var db1 = running.Items.Single(p => p.Metadata.Name == "db-1");
        Assert.Equal("db-1", db1.Spec.Hostname);
        Assert.Equal("db", db1.Spec.Subdomain);
        Assert.Equal("db-1", db1.Metadata.Labels["statefulset.kubernetes.io/pod-name"]);

        var ready = new HashSet<string>(StringComparer.Ordinal);
        while (watch.Events.TryRead(out var e))
        {
            if (e.Object.Namespace != ns)
            {
                continue;
            }

            if (e.Type == WatchEvent.Added && e.Object.Name != "db-0")
            {
                var previous = $"db-{int.Parse(e.Object.Name[3..], System.Globalization.CultureInfo.InvariantCulture) - 1}";
                Assert.Contains(previous, ready);
            }

            var conditions = e.Object.Parse().Arr("status", "conditions");
            if (conditions?.Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true)
            {
                ready.Add(e.Object.Name);
            }
        }

        var sts = await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedStatefulSetAsync("db", ns),
            s => s.Status?.ReadyReplicas == 3 && s.Status?.AvailableReplicas == 3,
            Workloads.Deadline,
            "statefulset status");
        Assert.Equal(sts.Status.CurrentRevision, sts.Status.UpdateRevision);
        Assert.All(running.Items, p => Assert.Equal(sts.Status.UpdateRevision, p.Metadata.Labels["controller-revision-hash"]));
        var revision = Assert.Single((await client.AppsV1.ListNamespacedControllerRevisionAsync(ns)).Items);
        Assert.Equal(sts.Status.UpdateRevision, revision.Metadata.Name);
        Assert.Equal(1, revision.Revision);
    }

    [Fact]
    public async Task ScaleDown_RemovesHighestOrdinalFirst()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "sts-down");
        await client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("kv", 3, "Parallel"), ns);
        await Workloads.PodsAsync(client, ns, "app=kv", 3);
        var pods = _sim.Server.Registry.Find("", "v1", "pods")!;
        using var watch = _sim.Server.Store.Watch(pods, _sim.Server.Store.ResourceVersion, capacity: 0);

        await client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("""{"spec":{"replicas":1,"podManagementPolicy":"Parallel"}}""", V1Patch.PatchType.MergePatch), "kv", ns);
        var left = await Workloads.PodsAsync(client, ns, "app=kv", 1);
        Assert.Equal("kv-0", left.Items.Single().Metadata.Name);
        var deleted = new List<string>();
        while (watch.Events.TryRead(out var e))
        {
            if (e.Object.Namespace == ns && e.Type == WatchEvent.Deleted)
            {
                deleted.Add(e.Object.Name);
            }
        }

        Assert.Equal(["kv-1", "kv-2"], deleted.Order());
    }

    [Fact]
    public async Task ScaleDown_OrderedReady_DeletesOneAtATimeFromTheTop()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "sts-ordered-down");
        await client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("zk", 3), ns);
        await Workloads.PodsAsync(client, ns, "app=zk", 3);
        var pods = _sim.Server.Registry.Find("", "v1", "pods")!;
        using var watch = _sim.Server.Store.Watch(pods, _sim.Server.Store.ResourceVersion, capacity: 0);

        await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "zk", ns);
        await Workloads.PodsAsync(client, ns, "app=zk", 1);
        var marked = new List<string>();
        while (watch.Events.TryRead(out var e))
        {
            if (e.Object.Namespace == ns && e.Object.Parse().Str("metadata", "deletionTimestamp") is not null && !marked.Contains(e.Object.Name))
            {
                marked.Add(e.Object.Name);
            }
        }

        Assert.Equal(["zk-2", "zk-1"], marked);
    }

    [Fact]
    public async Task RollingUpdate_NewImage_ReplacesPodsInReverseOrdinalOrder()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "sts-roll");
        await client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("mq", 2), ns);
        await Workloads.PodsAsync(client, ns, "app=mq", 2);
        var pods = _sim.Server.Registry.Find("", "v1", "pods")!;
        using var watch = _sim.Server.Store.Watch(pods, _sim.Server.Store.ResourceVersion, capacity: 0);

        await client.AppsV1.PatchNamespacedStatefulSetAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"redis:8"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "mq", ns);
        await Workloads.PodsAsync(client, ns, "app=mq", 2, p => p.Spec.Containers[0].Image == "redis:8");
        var sts = await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedStatefulSetAsync("mq", ns),
            s => s.Status?.CurrentRevision == s.Status?.UpdateRevision && s.Status?.UpdatedReplicas == 2,
            Workloads.Deadline,
            "rolled statefulset");
        Assert.Equal(2, (await client.AppsV1.ListNamespacedControllerRevisionAsync(ns)).Items.Count);
        var marked = new List<string>();
        while (watch.Events.TryRead(out var e))
        {
            if (e.Object.Namespace == ns && e.Object.Parse().Str("metadata", "deletionTimestamp") is not null && !marked.Contains(e.Object.Name))
            {
                marked.Add(e.Object.Name);
            }
        }

        Assert.Equal(["mq-1", "mq-0"], marked);
        Assert.NotNull(sts.Status.UpdateRevision);
    }
    [Fact]
    public async Task Revisions_ChangeCauseAnnotation_IsCopiedToEachNewRevision()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "sts-cause");
        var sts = StatefulSet("cache", 1, "Parallel");
        sts.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/change-cause"] = "first" };
        await client.AppsV1.CreateNamespacedStatefulSetAsync(sts, ns);
        await Workloads.PodsAsync(client, ns, "app=cache", 1);

        await client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(
            """{"metadata":{"annotations":{"kubernetes.io/change-cause":"second"}},"spec":{"template":{"spec":{"containers":[{"name":"app","image":"redis:8"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "cache", ns);
        var revisions = await Eventually.GetAsync(
            () => client.AppsV1.ListNamespacedControllerRevisionAsync(ns),
            l => l.Items.Count == 2,
            Workloads.Deadline,
            "two revisions");

        var causes = revisions.Items.OrderBy(r => r.Revision).Select(r => r.Metadata.Annotations?["kubernetes.io/change-cause"]);
        Assert.Equal(["first", "second"], causes);
    }
}
