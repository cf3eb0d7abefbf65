using System.Text.Json;
using Porthole.Hub;

namespace Porthole.Tests.Hub;

/// <summary>
/// A hub whose batch window (5 s) is far longer than a few writes take, and whose batches hold at most 4 events.
/// Its message rate is not under test: a joiner may subscribe and unsubscribe hundreds of times on a loaded
/// machine before the shared watch holds its object, which the default 100 messages/s would drop.
/// </summary>
public sealed class LongBatchFixture : HubFixture
{
    protected override HubOptions Options => new() { WatchBatchWindow = TimeSpan.FromSeconds(5), WatchBatchEvents = 4, RateLimit = 100_000, RateBurst = 100_000 };
}

public sealed class WatchBatchTests(LongBatchFixture fixture) : IClassFixture<LongBatchFixture>
{
    private static object ConfigMaps(string ns) => new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns };

    private static IEnumerable<string> Names(JsonElement payload) =>
        HubClient.Flatten(payload).Select(e => e.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()!);

    [Fact]
    public async Task LiveEvents_BurstWithinWindow_FullBatchesThenLoneEventAsItself()
    {
        var ns = await fixture.NamespaceAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:cm", ConfigMaps(ns));
        await client.NextOnAsync("watch:cm");

        var written = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            var created = await fixture.CreateConfigMapAsync(ns, $"cm-{i}");
            written.Add(created["metadata"]!["resourceVersion"]!.GetValue<string>());
        }

        // 4 + 4 events go out as soon as each batch is full, the ninth alone when its window ends.
        var frames = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            frames.Add((await client.NextOnAsync("watch:cm")).GetProperty("payload"));
        }

        Assert.Equal(new[] { "BATCH", "BATCH", "ADDED" }, frames.Select(f => f.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"cm-{i}"), frames.SelectMany(Names));
        Assert.All(frames.SelectMany(HubClient.Flatten), e => Assert.Equal("ADDED", e.GetProperty("type").GetString()));
        Assert.Equal(written, frames.SelectMany(HubClient.Flatten).Select(e => e.GetProperty("resourceVersion").GetString()));
        Assert.Equal(written[3], frames[0].GetProperty("resourceVersion").GetString()); // a BATCH carries its last event's version
        Assert.Equal(written[7], frames[1].GetProperty("resourceVersion").GetString());
    }

    [Fact]
    public async Task Subscribe_WhileEventsWaitForTheirBatch_JoinerGetsThemInSnapshotNotAgain()
    {
        var ns = await fixture.NamespaceAsync();
        await using var first = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await first.SubscribeAsync("watch:cm", ConfigMaps(ns));
        await first.NextOnAsync("watch:cm");
        await fixture.CreateConfigMapAsync(ns, "waiting"); // its event waits up to 5 s for its batch

        // Join as soon as the shared watch holds "waiting" (its snapshot shows it), while its
        // event still waits for the batch: no later event may add it again.
        await using var joiner = await HubClient.ConnectAsync(fixture.Porthole.Url);
        HashSet<string> held;
        var channel = "";
        for (var attempt = 0; ; attempt++)
        {
            channel = $"watch:join-{attempt}";
            await joiner.SubscribeAsync(channel, ConfigMaps(ns));
            var snapshot = (await joiner.NextOnAsync(channel)).GetProperty("payload");
            held = snapshot.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("metadata").GetProperty("name").GetString()!).ToHashSet();
            if (held.Contains("waiting"))
            {
                break;
            }

            await joiner.SendAsync("unsubscribe", channel);
        }

        await fixture.CreateConfigMapAsync(ns, "next");
        var seen = new List<string>();
        while (seen.LastOrDefault() != "next")
        {
            var added = Names(await joiner.NextEventAsync(channel)).Single();
            Assert.DoesNotContain(added, held);
            seen.Add(added);
        }

        Assert.Equal(new[] { "waiting", "next" }, held.Concat(seen));
        Assert.Equal("waiting", Names(await first.NextEventAsync("watch:cm")).Single());
        Assert.Equal("next", Names(await first.NextEventAsync("watch:cm")).Single());
    }
}
