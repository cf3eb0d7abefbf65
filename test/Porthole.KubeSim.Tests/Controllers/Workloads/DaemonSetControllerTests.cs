using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Controllers.Workloads;

public sealed class DaemonSetControllerTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public DaemonSetControllerTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static V1DaemonSet DaemonSet(string name, string image = "fluent-bit:3") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Workloads.Template(name, image),
        },
    };

    private static V1Node Node(string name, V1Taint? taint = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
        Spec = new V1NodeSpec { Taints = taint is null ? null : [taint] },
        Status = new V1NodeStatus
        {
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status" }],
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "10.0.9.1" }],
        },
    };

    [Fact]
    public async Task Create_OnePodPerNode_AndOnANewNodeButNotATaintedOne()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "ds-nodes");
        var nodes = (await client.CoreV1.ListNodeAsync()).Items.Select(n => n.Metadata.Name).ToList();
        await client.AppsV1.CreateNamespacedDaemonSetAsync(DaemonSet("agent"), ns);
        var pods = await Workloads.PodsAsync(client, ns, "app=agent", nodes.Count);
        Assert.Equal(nodes.Order(), pods.Items.Select(p => p.Spec.NodeName).Order());
        var pod = pods.Items[0];
        Assert.Equal(pod.Spec.NodeName, pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms.Single().MatchFields.Single().Values.Single());
        Assert.Contains(pod.Spec.Tolerations, t => t.Key == "node.kubernetes.io/unschedulable" && t.Effect == "NoSchedule" && t.OperatorProperty == "Exists");
        var ds = await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedDaemonSetAsync("agent", ns),
            d => d.Status?.NumberReady == nodes.Count && d.Status?.NumberAvailable == nodes.Count,
            Workloads.Deadline,
            "daemonset ready");
        Assert.Equal(nodes.Count, ds.Status.DesiredNumberScheduled);
        Assert.Equal(nodes.Count, ds.Status.CurrentNumberScheduled);
        Assert.Equal(nodes.Count, ds.Status.UpdatedNumberScheduled);
        Assert.Equal(0, ds.Status.NumberMisscheduled);

        await client.CoreV1.CreateNodeAsync(Node("ds-extra"));
        await client.CoreV1.CreateNodeAsync(Node("ds-tainted", new V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoSchedule" }));
        var grown = await Workloads.PodsAsync(client, ns, "app=agent", nodes.Count + 1);
        Assert.Contains(grown.Items, p => p.Spec.NodeName == "ds-extra");
        Assert.DoesNotContain(grown.Items, p => p.Spec.NodeName == "ds-tainted");
        await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedDaemonSetAsync("agent", ns),
            d => d.Status?.DesiredNumberScheduled == nodes.Count + 1 && d.Status?.NumberReady == nodes.Count + 1,
            Workloads.Deadline,
            "daemonset on the new node");
    }

    [Fact]
    public async Task RollingUpdate_NewImage_ReplacesEveryDaemonPod()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "ds-roll");
        await client.AppsV1.CreateNamespacedDaemonSetAsync(DaemonSet("proxy", "envoy:1.30"), ns);
        var count = (await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedDaemonSetAsync("proxy", ns),
            d => d.Status?.DesiredNumberScheduled > 0 && d.Status?.NumberReady == d.Status?.DesiredNumberScheduled,
            Workloads.Deadline,
            "daemonset ready")).Status.DesiredNumberScheduled;

        await client.AppsV1.PatchNamespacedDaemonSetAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"envoy:1.31"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "proxy", ns);
        await Workloads.PodsAsync(client, ns, "app=proxy", count, p => p.Spec.Containers[0].Image == "envoy:1.31");
        await Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedDaemonSetAsync("proxy", ns),
            d => d.Status?.UpdatedNumberScheduled == count && d.Status?.NumberAvailable == count && d.Status?.ObservedGeneration == d.Metadata.Generation,
            Workloads.Deadline,
            "daemonset rolled");
    }
    [Fact]
    public async Task Revisions_ChangeCauseAnnotation_IsCopiedToTheRevision()
    {
        using var client = _sim.Client();
        var ns = await Workloads.NamespaceAsync(client, "ds-cause");
        var ds = DaemonSet("logger");
        ds.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/change-cause"] = "install logger" };
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ds, ns);

        var revision = await Eventually.GetAsync(
            () => client.AppsV1.ListNamespacedControllerRevisionAsync(ns),
            l => l.Items.Count == 1,
            Workloads.Deadline,
            "the first revision");

        Assert.Equal("install logger", revision.Items[0].Metadata.Annotations["kubernetes.io/change-cause"]);
    }
}
