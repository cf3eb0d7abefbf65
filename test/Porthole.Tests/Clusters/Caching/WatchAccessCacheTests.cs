using Microsoft.Extensions.Time.Testing;
using Porthole.Hub;
using Porthole.Tests.Hub;

namespace Porthole.Tests.Clusters.Caching;

/// <summary>
/// The hub on a fake clock (KubeSim on the real one) with the protocol's 30 s access answers.
/// Only time-free paths are used on it: snapshots, reviews; live events would wait for their
/// batch window to pass on the fake clock.
/// </summary>
public sealed class FakeClockHubFixture : HubFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override TimeProvider? Time => Clock;

    protected override HubOptions Options => new() { AccessRecheck = TimeSpan.FromSeconds(30) };
}

/// <summary>
/// Access answers are cached per user, verb, resource and namespace for 30 s, then asked again
/// by each shared watch's recheck: counted as SubjectAccessReviews made at KubeSim.
/// </summary>
public sealed class WatchAccessCacheTests(FakeClockHubFixture fixture) : IClassFixture<FakeClockHubFixture>
{
    private static object ConfigMaps(string selector) =>
        new { cluster = "sim-porthole", version = "v1", resource = "configmaps", @namespace = "team-a", labelSelector = "test=" + selector };

    [Fact]
    public async Task Review_Within30s_CachedThenAskedAgainAfter()
    {
        long Asked() => fixture.Sim.Counters.Reviews("subjectaccessreviews", "sim-porthole");
        var start = Asked();
        var clients = new List<HubClient>();
        try
        {
            async Task SubscribeAsync(string selector)
            {
                var client = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-viewer"));
                clients.Add(client);
                await client.SubscribeAsync("watch:cm", ConfigMaps(selector));
                Assert.Equal("SNAPSHOT", (await client.NextEventAsync("watch:cm")).GetProperty("type").GetString());
            }

            await SubscribeAsync("a");
            Assert.Equal(start + 2, Asked()); // list and watch

            // 29 s later, another filter on the same resource and namespace: the answers are cached.
            fixture.Clock.Advance(TimeSpan.FromSeconds(29));
            await SubscribeAsync("b");
            Assert.Equal(start + 2, Asked());

            // 31 s: the answers have expired and the first watch's recheck is due: asked again, once per verb.
            fixture.Clock.Advance(TimeSpan.FromSeconds(2));
            await HubFixture.WaitForAsync(() => Asked() == start + 4, "the recheck to ask again after 30 s");
            await SubscribeAsync("c");
            Assert.Equal(start + 4, Asked()); // the recheck's fresh answers serve the new subscriber
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
