using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Tests.Kubelet;

public sealed class SimNodesTests
{
    [Fact]
    public void Create_Three_NamesLabelsAndControlPlaneLikeKind()
    {
        var nodes = SimNodes.Create(3, SimCluster.Epoch);

        Assert.Equal(["kubesim-node-1", "kubesim-node-2", "kubesim-node-3"], nodes.Select(n => n.Name()));
        Assert.True(nodes[0].Labels().ContainsKey("node-role.kubernetes.io/control-plane"));
        Assert.False(nodes[1].Labels().ContainsKey("node-role.kubernetes.io/control-plane"));
        var labels = nodes[1].Labels();
        Assert.Equal("kubesim-node-2", labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", labels["kubernetes.io/os"]);
        Assert.Equal("amd64", labels["beta.kubernetes.io/arch"]);
    }

    [Fact]
    public void Create_Node_HasStatusLikeARealKubelet()
    {
        var node = SimNodes.Create(2, SimCluster.Epoch)[1];

        var conditions = node.Arr("status", "conditions")!.Select(c => (c.Str("type"), c.Str("status"), c.Str("reason"))).ToList();
        Assert.Contains(("Ready", "True", "KubeletReady"), conditions);
        Assert.Contains(("MemoryPressure", "False", "KubeletHasSufficientMemory"), conditions);
        Assert.Contains(("DiskPressure", "False", "KubeletHasNoDiskPressure"), conditions);
        Assert.Contains(("PIDPressure", "False", "KubeletHasSufficientPID"), conditions);
        Assert.Equal("v1.31.0", node.Str("status", "nodeInfo", "kubeletVersion"));
        Assert.StartsWith("containerd://1.7.", node.Str("status", "nodeInfo", "containerRuntimeVersion"));
        Assert.Equal("linux", node.Str("status", "nodeInfo", "operatingSystem"));
        Assert.Equal("172.18.0.3", node.Arr("status", "addresses")![0].Str("address"));
        Assert.Equal("10.244.1.0/24", node.Str("spec", "podCIDR"));
        Assert.Equal("110", node.Str("status", "allocatable", "pods"));
        Assert.NotNull(node.Str("status", "capacity", "ephemeral-storage"));
        Assert.Equal(10250, node.Long("status", "daemonEndpoints", "kubeletEndpoint", "Port"));

        var typed = k8s.KubernetesJson.Deserialize<k8s.Models.V1Node>(node.ToJsonString());
        Assert.Equal("kubesim-node-2", typed.Metadata.Name);
        Assert.Equal("amd64", typed.Status.NodeInfo.Architecture);
    }
}
