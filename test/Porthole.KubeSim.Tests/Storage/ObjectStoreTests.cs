using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Storage;

public sealed class ObjectStoreTests
{
    private static readonly ResourceType Pods = new ResourceRegistry().Find("", "v1", "pods")!;

    private static JsonObject Pod(string ns, string name) =>
        new() { ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name } };

    [Fact]
    public void Create_Existing_ThrowsAlreadyExists()
    {
        var store = new ObjectStore(TimeProvider.System);
        store.Create(Pods, Pod("a", "p"));
        var e = Assert.Throws<ApiException>(() => store.Create(Pods, Pod("a", "p")));
        Assert.Equal(409, e.Code);
        Assert.Equal("AlreadyExists", e.Reason);
    }

    [Fact]
    public void Update_StaleResourceVersion_ThrowsConflict()
    {
        var store = new ObjectStore(TimeProvider.System);
        var first = store.Create(Pods, Pod("a", "p")).Parse();
        store.Update(Pods, first.DeepClone().AsObject());
        var e = Assert.Throws<ApiException>(() => store.Update(Pods, first));
        Assert.Equal(409, e.Code);
        Assert.Equal("Conflict", e.Reason);
    }

    [Fact]
    public void List_WithLimit_PagesInKeyOrder()
    {
        var store = new ObjectStore(TimeProvider.System);
        foreach (var n in new[] { "c", "a", "b" })
        {
            store.Create(Pods, Pod("x", n));
        }

        var page = store.List(Pods, null, limit: 2);
        Assert.Equal(["a", "b"], page.Items.Select(i => i.Name));
        Assert.Equal(1, page.RemainingItemCount);
        var rest = store.List(Pods, null, limit: 2, after: page.ContinueAfter);
        Assert.Equal(["c"], rest.Items.Select(i => i.Name));
        Assert.Null(rest.ContinueAfter);
    }

    [Fact]
    public async Task Watch_FromOldVersion_ReplaysThenStreams()
    {
        var store = new ObjectStore(TimeProvider.System);
        var a = store.Create(Pods, Pod("x", "a"));
        store.Create(Pods, Pod("x", "b"));
        using var watch = store.Watch(Pods, a.ResourceVersion);
        store.Remove(Pods, "x", "a");
        var first = await watch.Events.ReadAsync();
        var second = await watch.Events.ReadAsync();
        Assert.Equal(("ADDED", "b"), (first.Type, first.Object.Name));
        Assert.Equal(("DELETED", "a"), (second.Type, second.Object.Name));
    }

    [Fact]
    public void Watch_OlderThanHistory_ThrowsGone()
    {
        var store = new ObjectStore(TimeProvider.System, historyWindow: 16);
        var first = store.Create(Pods, Pod("x", "first"));
        for (var i = 0; i < 40; i++)
        {
            store.Create(Pods, Pod("x", $"p{i}"));
        }

        var e = Assert.Throws<ApiException>(() => store.Watch(Pods, first.ResourceVersion));
        Assert.Equal(410, e.Code);
        Assert.Equal("Expired", e.Reason);
    }
}
