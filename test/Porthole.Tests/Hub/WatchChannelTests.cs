using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters.Caching;

namespace Porthole.Tests.Hub;

public sealed class WatchChannelTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private static object ConfigMaps(string ns, string? labelSelector = null) =>
        new { cluster = "sim-admin", group = "", version = "v1", resource = "configmaps", @namespace = ns, labelSelector };

    [Fact]
    public async Task Subscribe_Watch_SnapshotThenLiveEvents()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.CreateConfigMapAsync(ns, "a");
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);

        await client.SubscribeAsync("watch:cm", ConfigMaps(ns));
        var snapshot = (await client.NextOnAsync("watch:cm")).GetProperty("payload");
        Assert.Equal("SNAPSHOT", snapshot.GetProperty("type").GetString());
        var names = snapshot.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("metadata").GetProperty("name").GetString()).ToList();
        Assert.Contains("a", names);
        Assert.False(snapshot.GetProperty("objects")[0].GetProperty("metadata").TryGetProperty("managedFields", out _));
        Assert.Equal("ConfigMap", snapshot.GetProperty("objects")[0].GetProperty("kind").GetString());

        var created = await fixture.CreateConfigMapAsync(ns, "b");
        var added = await client.NextEventAsync("watch:cm");
        Assert.Equal("ADDED", added.GetProperty("type").GetString());
        Assert.Equal("b", added.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), added.GetProperty("resourceVersion").GetString());
        Assert.False(added.GetProperty("object").GetProperty("metadata").TryGetProperty("managedFields", out _));

        await fixture.UpdateConfigMapAsync(ns, "b", "2");
        var modified = await client.NextEventAsync("watch:cm");
        Assert.Equal("MODIFIED", modified.GetProperty("type").GetString());
        Assert.Equal("2", modified.GetProperty("object").GetProperty("data").GetProperty("v").GetString());

        await fixture.DeleteConfigMapAsync(ns, "a");
        var deleted = await client.NextEventAsync("watch:cm");
        Assert.Equal("DELETED", deleted.GetProperty("type").GetString());
        Assert.Equal("a", deleted.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Subscribe_ManyClientsSameFilter_ShareOneUpstreamWatch()
    {
        var ns = await fixture.NamespaceAsync();
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        await using var first = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await first.SubscribeAsync("watch:shared", ConfigMaps(ns));
        await first.NextOnAsync("watch:shared");
        await fixture.CreateConfigMapAsync(ns, "warm");
        await first.NextEventAsync("watch:shared"); // the upstream watch is open: the event came through it
        await HubFixture.WaitForAsync(() => cache.Count == 1, "earlier tests' shared watches to linger out");
        var baseline = await fixture.UpstreamWatchesAsync("sim-admin");

        var others = new List<HubClient>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
                others.Add(client);
                await client.SubscribeAsync("watch:shared", ConfigMaps(ns));
            }

            foreach (var client in others)
            {
                var snapshot = (await client.NextOnAsync("watch:shared")).GetProperty("payload");
                Assert.Equal("SNAPSHOT", snapshot.GetProperty("type").GetString());
                Assert.Single(snapshot.GetProperty("objects").EnumerateArray());
            }

            await fixture.CreateConfigMapAsync(ns, "live");
            foreach (var client in others.Append(first))
            {
                var added = await client.NextEventAsync("watch:shared");
                Assert.Equal("live", added.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
            }

            // Nine subscribers, every one got the live event, and still the one upstream watch.
            Assert.Equal(baseline, await fixture.UpstreamWatchesAsync("sim-admin"));
            Assert.Equal(1, cache.Count);
            Assert.Equal(9, cache.Subscribers);
        }
        finally
        {
            foreach (var client in others)
            {
                await client.DisposeAsync();
            }
        }

        await first.SendAsync("unsubscribe", "watch:shared");
        await HubFixture.WaitForAsync(() => cache.Count == 0, "the shared upstream watch to stop after its last subscriber left");
        Assert.Equal(baseline - 1, await fixture.UpstreamWatchesAsync("sim-admin"));
    }

    [Fact]
    public async Task Subscribe_DifferentSelectors_SeparateUpstreamWatchesAndFilteredEvents()
    {
        var ns = await fixture.NamespaceAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:red", ConfigMaps(ns, "color=red"));
        await client.SubscribeAsync("watch:all", ConfigMaps(ns));
        Assert.Empty((await client.NextOnAsync("watch:red")).GetProperty("payload").GetProperty("objects").EnumerateArray());
        await client.NextOnAsync("watch:all");

        await fixture.CreateConfigMapAsync(ns, "blue", labels: new() { ["color"] = "blue" });
        await fixture.CreateConfigMapAsync(ns, "red", labels: new() { ["color"] = "red" });
        var red = await client.NextEventAsync("watch:red");
        Assert.Equal("red", red.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("blue", (await client.NextEventAsync("watch:all")).GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Subscribe_LargeList_SnapshotInBatches()
    {
        var ns = await fixture.NamespaceAsync();
        for (var i = 0; i < 120; i++)
        {
            await fixture.CreateConfigMapAsync(ns, $"cm-{i:D3}");
        }

        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:big", ConfigMaps(ns));
        var names = new HashSet<string>();
        JsonElement payload;
        var frames = 0;
        do
        {
            payload = (await client.NextOnAsync("watch:big")).GetProperty("payload");
            Assert.Equal("SNAPSHOT", payload.GetProperty("type").GetString());
            frames++;
            foreach (var o in payload.GetProperty("objects").EnumerateArray())
            {
                Assert.True(names.Add(o.GetProperty("metadata").GetProperty("name").GetString()!));
            }
        }
        while (payload.TryGetProperty("continued", out var more) && more.GetBoolean());

        Assert.Equal(120, names.Count);
        Assert.Equal(3, frames); // batches of 50 in the fixture
    }
}
