using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Query;

public sealed class ListFilterTests
{
    private static readonly ResourceType Pods = new ResourceRegistry().Find("", "v1", "pods")!;

    private static StoredObject Pod(string app, string phase, long rv) =>
        StoredObject.From(
            new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "a", ["labels"] = new JsonObject { ["app"] = app } },
                ["status"] = new JsonObject { ["phase"] = phase },
            },
            rv);

    [Fact]
    public void Filter_ModifiedIntoSelection_BecomesAdded()
    {
        var filter = ListFilter.Parse("app=web", "", Pods);
        var result = filter.Filter(new WatchEvent(WatchEvent.Modified, "pods", Pod("web", "Running", 11), Pod("api", "Running", 10)));
        Assert.Equal(WatchEvent.Added, result?.Type);
    }

    [Fact]
    public void Filter_ModifiedOutOfSelection_BecomesDeletedWithPreviousContentAtNewVersion()
    {
        var filter = ListFilter.Parse("", "status.phase=Running", Pods);
        var result = filter.Filter(new WatchEvent(WatchEvent.Modified, "pods", Pod("web", "Succeeded", 11), Pod("web", "Running", 10)));
        Assert.Equal(WatchEvent.Deleted, result?.Type);
        Assert.Equal("Running", result?.Object["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("11", result?.Object["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Filter_ModifiedWithinSelection_StaysModified()
    {
        var filter = ListFilter.Parse("app=web", "status.phase=Running", Pods);
        var result = filter.Filter(new WatchEvent(WatchEvent.Modified, "pods", Pod("web", "Running", 11), Pod("web", "Running", 10)));
        Assert.Equal(WatchEvent.Modified, result?.Type);
    }

    [Fact]
    public void Filter_OutsideSelection_IsDropped()
    {
        var filter = ListFilter.Parse("app=web", "", Pods);
        Assert.Null(filter.Filter(new WatchEvent(WatchEvent.Added, "pods", Pod("api", "Running", 11), null)));
        Assert.Null(filter.Filter(new WatchEvent(WatchEvent.Deleted, "pods", Pod("api", "Running", 12), Pod("api", "Running", 11))));
        Assert.Equal(WatchEvent.Deleted, filter.Filter(new WatchEvent(WatchEvent.Deleted, "pods", Pod("web", "Running", 12), Pod("web", "Running", 11)))?.Type);
    }

    [Fact]
    public void Matches_StoredObject_UsesBothSelectors()
    {
        var filter = ListFilter.Parse("app in (web,api)", "status.phase!=Failed", Pods);
        Assert.True(filter.Matches(Pod("api", "Running", 5)));
        Assert.False(filter.Matches(Pod("api", "Failed", 5)));
        Assert.False(filter.Matches(Pod("db", "Running", 5)));
        Assert.True(ListFilter.Everything.IsEverything);
    }
}
