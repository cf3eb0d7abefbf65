using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Kubelet;

public sealed class NodeViewTests
{
    [Fact]
    public void Refresh_NodesComeAndGo_EachKeepsAPodCidrOfItsOwn()
    {
        var view = new NodeView();
        var sim = SimNodes.Create(3).Select((n, i) => StoredObject.From(n, i + 1)).ToList();

        view.Refresh([.. sim, Node("extra-a", 10), Node("extra-b", 11)]);
        view.Refresh([.. sim, Node("extra-b", 11), Node("extra-c", 12)]);

        Assert.Equal([0, 1, 2], sim.Select(n => view.Find(n.Name)!.CidrIndex));
        Assert.Equal(4, view.Find("extra-b")!.CidrIndex);
        Assert.Equal(3, view.Find("extra-c")!.CidrIndex);
        Assert.Equal("10.244.3.2", view.Find("extra-c")!.PodIp(0));
    }

    private static StoredObject Node(string name, long rv) =>
        StoredObject.From(new JsonObject { ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = name, ["uid"] = name } }, rv);
}
