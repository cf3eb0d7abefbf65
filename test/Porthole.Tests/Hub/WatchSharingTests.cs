using System.Net.Http.Json;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task Subscribe_TwoUsersSameFilter_OneUpstreamWatchBothGetEvents()
    {
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        await HubFixture.WaitForAsync(() => cache.Count == 0, "earlier tests' shared watches to linger out");
        var (watches, gauge) = (await fixture.SettledWatchesAsync(), await fixture.UpstreamWatchesAsync(Cluster));
        var selector = Selector();
        await using var viewer = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-viewer"));
        await using var dev = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-dev"));

        await viewer.SubscribeAsync("watch:cm", ConfigMaps("team-a", selector));
        await dev.SubscribeAsync("watch:cm", ConfigMaps("team-a", selector));
        Assert.Equal("SNAPSHOT", (await viewer.NextEventAsync("watch:cm")).GetProperty("type").GetString());
        Assert.Equal("SNAPSHOT", (await dev.NextEventAsync("watch:cm")).GetProperty("type").GetString());
        await fixture.CreateConfigMapAsync("team-a", "shared-" + selector, labels: new() { ["test"] = selector });

        foreach (var client in new[] { viewer, dev })
        {
            var added = await client.NextEventAsync("watch:cm");
            Assert.Equal("ADDED", added.GetProperty("type").GetString());
            Assert.Equal("shared-" + selector, added.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
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
        await using var viewer = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-viewer"));
        await using var dev = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-dev"));
        await viewer.SubscribeAsync("watch:cm", ConfigMaps("default", selector));
        Assert.Equal("SNAPSHOT", (await viewer.NextEventAsync("watch:cm")).GetProperty("type").GetString());

        // Same filter, same shared watch already running: sim-dev may not list in default.
        await dev.SubscribeAsync("watch:cm", ConfigMaps("default", selector));
        await dev.SubscribeAsync("watch:all", ConfigMaps(null, selector)); // all namespaces needs cluster-wide rights
        foreach (var channel in new[] { "watch:cm", "watch:all" })
        {
            var error = await dev.NextOnAsync(channel);
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal("forbidden", error.GetProperty("payload").GetProperty("code").GetString());
        }

        await fixture.CreateConfigMapAsync("default", "secret-" + selector, labels: new() { ["test"] = selector });
        Assert.Equal("secret-" + selector, (await viewer.NextEventAsync("watch:cm")).GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());

        // After the event reached the viewer, a ping round trip flushes dev's queue: nothing on its channels.
        await dev.SendAsync("ping");
        await dev.NextAsync(f => f.GetProperty("type").GetString() == "pong");
        Assert.DoesNotContain(dev.Drain(), f => f.TryGetProperty("channel", out _));
    }

    [Fact]
    public async Task Recheck_OneUsersAccessRevoked_OnlyThatUsersChannelEnds()
    {
        var selector = Selector();
        await using var viewer = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-viewer"));
        await using var dev = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-dev"));
        await viewer.SubscribeAsync("watch:cm", ConfigMaps("team-a", selector));
        await dev.SubscribeAsync("watch:cm", ConfigMaps("team-a", selector));
        await viewer.NextEventAsync("watch:cm");
        await dev.NextEventAsync("watch:cm");

        var binding = await fixture.Admin.GetFromJsonAsync<JsonObject>("apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/sim-dev-edit");
        (await fixture.Admin.DeleteAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/sim-dev-edit")).EnsureSuccessStatusCode();
        try
        {
            var error = await dev.NextOnAsync("watch:cm");
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal("forbidden", error.GetProperty("payload").GetProperty("code").GetString());
            Assert.Contains("revoked", error.GetProperty("payload").GetProperty("message").GetString(), StringComparison.Ordinal);

            // The viewer's channel on the same shared watch goes on.
            await fixture.CreateConfigMapAsync("team-a", "after-" + selector, labels: new() { ["test"] = selector });
            Assert.Equal("after-" + selector, (await viewer.NextEventAsync("watch:cm")).GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
            Assert.DoesNotContain(viewer.Drain(), f => f.GetProperty("type").GetString() == "error");
        }
        finally
        {
            binding!["metadata"]!.AsObject().Remove("resourceVersion");
            binding["metadata"]!.AsObject().Remove("uid");
            (await fixture.Admin.PostAsJsonAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", binding)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Subscribe_TokenMode_SelfSubjectAccessReviewWithTheUsersOwnToken()
    {
        var counters = fixture.Sim.Counters;
        var before = (Self: counters.Reviews("selfsubjectaccessreviews", "sim-viewer"), Server: counters.Reviews("selfsubjectaccessreviews", "sim-porthole"), Sar: counters.Reviews("subjectaccessreviews"));
        var selector = Selector();
        await using var viewer = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.WithToken("sim-viewer"));
        await using var dev = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.WithToken("sim-dev"));

        await viewer.SubscribeAsync("watch:cm", ConfigMaps("default", selector));
        Assert.Equal("SNAPSHOT", (await viewer.NextEventAsync("watch:cm")).GetProperty("type").GetString());
        await dev.SubscribeAsync("watch:cm", ConfigMaps("default", selector));
        Assert.Equal("forbidden", (await dev.NextOnAsync("watch:cm")).GetProperty("payload").GetProperty("code").GetString());

        // list and watch, asked by each user with its own token; never by the server identity.
        Assert.Equal(before.Self + 2, counters.Reviews("selfsubjectaccessreviews", "sim-viewer"));
        Assert.True(counters.Reviews("selfsubjectaccessreviews", "sim-dev") >= 1);
        Assert.Equal(before.Server, counters.Reviews("selfsubjectaccessreviews", "sim-porthole"));
        Assert.Equal(before.Sar, counters.Reviews("subjectaccessreviews"));
    }
}
