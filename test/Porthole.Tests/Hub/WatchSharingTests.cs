using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters.Caching;

namespace Porthole.Tests.Hub;

/// <summary>
/// Different users on one shared upstream watch. Cluster "sim-porthole" is Porthole running as
/// KubeSim's sim-porthole (may list and watch everything, create SubjectAccessReviews and
/// impersonate); the users are KubeSim's sim-viewer (view everywhere) and sim-dev (edit in
/// team-a only), signed in through the fixture's test sign-in. Own fixture: one test revokes
/// sim-dev's binding.
/// </summary>
public sealed class WatchSharingTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private const string Cluster = "sim-porthole";

    private static object ConfigMaps(string? ns, string selector) =>
        new { cluster = Cluster, version = "v1", resource = "configmaps", @namespace = ns, labelSelector = "test=" + selector };

    private static string Selector() => Guid.NewGuid().ToString("n")[..12];

    private static string Name(JsonElement watchEvent) => watchEvent.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()!;

    /// <summary>Connects as a user (<see cref="HubFixture.AsUser"/>, <see cref="HubFixture.WithToken"/>) and subscribes <c>watch:cm</c>.</summary>
    private async Task<HubClient> SubscribeAsync(Dictionary<string, string> who, object filter)
    {
        var client = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: who);
        await client.SubscribeAsync("watch:cm", filter);
        return client;
    }

    private static async Task SnapshotAsync(params HubClient[] clients)
    {
        foreach (var client in clients)
        {
            Assert.Equal("SNAPSHOT", (await client.NextEventAsync("watch:cm")).GetProperty("type").GetString());
        }
    }

    private Task LabelledConfigMapAsync(string ns, string name, string selector) =>
        fixture.CreateConfigMapAsync(ns, name, labels: new() { ["test"] = selector });

    [Fact]
    public async Task Subscribe_TwoUsersSameFilter_OneUpstreamWatchBothGetEvents()
    {
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        await HubFixture.WaitForAsync(() => cache.Count == 0, "earlier tests' shared watches to linger out");
        var (watches, gauge) = (await fixture.SettledWatchesAsync(), await fixture.UpstreamWatchesAsync(Cluster));
        var selector = Selector();
        await using var viewer = await SubscribeAsync(HubFixture.AsUser("sim-viewer"), ConfigMaps("team-a", selector));
        await using var dev = await SubscribeAsync(HubFixture.AsUser("sim-dev"), ConfigMaps("team-a", selector));
        await SnapshotAsync(viewer, dev);
        await LabelledConfigMapAsync("team-a", "shared-" + selector, selector);

        foreach (var client in new[] { viewer, dev })
        {
            var added = await client.NextEventAsync("watch:cm");
            Assert.Equal("ADDED", added.GetProperty("type").GetString());
            Assert.Equal("shared-" + selector, Name(added));
        }

        // Two users, one list+watch: Porthole's cache, its gauge and KubeSim all say one.
        Assert.Equal(1, cache.Count);
        Assert.Equal(2, cache.Subscribers);
        Assert.Equal(watches + 1, await fixture.SettledWatchesAsync());
        Assert.Equal(gauge + 1, await fixture.UpstreamWatchesAsync(Cluster));
    }

    [Fact]
    public async Task Subscribe_UserWithoutAccessToNamespace_ForbiddenAndNothingWhileOtherUserGetsEvents()
    {
        var selector = Selector();
        await using var viewer = await SubscribeAsync(HubFixture.AsUser("sim-viewer"), ConfigMaps("default", selector));
        await SnapshotAsync(viewer);

        // Same filter, same shared watch already running: sim-dev may not list in default, nor
        // in all namespaces (that needs the cluster-wide right).
        await using var dev = await SubscribeAsync(HubFixture.AsUser("sim-dev"), ConfigMaps("default", selector));
        await dev.SubscribeAsync("watch:all", ConfigMaps(null, selector));
        await dev.NextErrorAsync("watch:cm", "forbidden");
        await dev.NextErrorAsync("watch:all", "forbidden");

        await LabelledConfigMapAsync("default", "secret-" + selector, selector);
        Assert.Equal("secret-" + selector, Name(await viewer.NextEventAsync("watch:cm")));

        // After the event reached the viewer, a ping round trip flushes dev's queue: nothing on its channels.
        await dev.SendAsync("ping");
        await dev.NextAsync(f => f.GetProperty("type").GetString() == "pong");
        Assert.DoesNotContain(dev.Drain(), f => f.TryGetProperty("channel", out _));
    }

    [Fact]
    public async Task Recheck_OneUsersAccessRevoked_OnlyThatUsersChannelEnds()
    {
        var selector = Selector();
        await using var viewer = await SubscribeAsync(HubFixture.AsUser("sim-viewer"), ConfigMaps("team-a", selector));
        // sim-dev with a group of this test's own: the refusal Porthole caches while the binding is
        // gone (up to 30 s) belongs to this subject, not to the plain sim-dev of the other tests.
        await using var dev = await SubscribeAsync(HubFixture.AsUser("sim-dev", "recheck-" + selector), ConfigMaps("team-a", selector));
        await SnapshotAsync(viewer, dev);

        await using (await fixture.RevokeAsync("team-a", "sim-dev-edit"))
        {
            Assert.Contains("revoked", await dev.NextErrorAsync("watch:cm", "forbidden"), StringComparison.Ordinal);

            // The viewer's channel on the same shared watch goes on.
            await LabelledConfigMapAsync("team-a", "after-" + selector, selector);
            Assert.Equal("after-" + selector, Name(await viewer.NextEventAsync("watch:cm")));
            Assert.DoesNotContain(viewer.Drain(), f => f.GetProperty("type").GetString() == "error");
        }
    }

    [Fact]
    public async Task Subscribe_TokenMode_SelfSubjectAccessReviewWithTheUsersOwnToken()
    {
        var counters = fixture.Sim.Counters;
        var before = (Self: counters.Reviews("selfsubjectaccessreviews", "sim-viewer"), Server: counters.Reviews("selfsubjectaccessreviews", "sim-porthole"), Sar: counters.Reviews("subjectaccessreviews"));
        var selector = Selector();
        await using var viewer = await SubscribeAsync(HubFixture.WithToken("sim-viewer"), ConfigMaps("default", selector));
        await SnapshotAsync(viewer);
        await using var dev = await SubscribeAsync(HubFixture.WithToken("sim-dev"), ConfigMaps("default", selector));
        await dev.NextErrorAsync("watch:cm", "forbidden");

        // list and watch, asked by each user with its own token; never by the server identity.
        Assert.Equal(before.Self + 2, counters.Reviews("selfsubjectaccessreviews", "sim-viewer"));
        Assert.True(counters.Reviews("selfsubjectaccessreviews", "sim-dev") >= 1);
        Assert.Equal(before.Server, counters.Reviews("selfsubjectaccessreviews", "sim-porthole"));
        Assert.Equal(before.Sar, counters.Reviews("subjectaccessreviews"));
    }
}
