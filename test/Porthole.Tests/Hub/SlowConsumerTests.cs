using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters.Caching;
using Porthole.Hub;

namespace Porthole.Tests.Hub;

/// <summary>A hub with a short send timeout, so a client that stops reading is caught quickly.</summary>
public sealed class SmallQueueFixture : HubFixture
{
    protected override HubOptions Options => new() { SendQueueBytes = 1024 * 1024, SnapshotQueueBytes = 32 * 1024 * 1024, SendTimeout = TimeSpan.FromSeconds(2) };
}

public sealed class SlowConsumerTests(SmallQueueFixture fixture) : IClassFixture<SmallQueueFixture>, IAsyncDisposable
{
    [Fact]
    public async Task Send_ClientStopsReading_ClosedWithReasonOthersUnaffected()
    {
        var ns = await fixture.NamespaceAsync();
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        var payload = new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns };
        await using var healthy = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await healthy.SubscribeAsync("watch:cm", payload);
        var healthyId = (await healthy.NextOnAsync("watch:cm")).GetProperty("sessionID").GetString()!;
        await using var stalled = await HubClient.ConnectAsync(fixture.Porthole.Url, read: false);
        await stalled.SubscribeAsync("watch:cm", payload);
        await HubFixture.WaitForAsync(() => cache.Subscribers == 2, "both subscribers on the shared watch");

        var big = new string('x', 64 * 1024);
        var created = 0;
        bool Closing(string message) => message.Contains("client too slow", StringComparison.Ordinal) || message.Contains("client not reading", StringComparison.Ordinal);
        while (!fixture.Porthole.Logs.Lines.Any(l => Closing(l.Message) && !l.Message.Contains(healthyId, StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(fixture.Porthole.Logs.Lines, l => Closing(l.Message) && l.Message.Contains(healthyId, StringComparison.Ordinal));
            Assert.True(created < 1000, "1000 objects of 64 KiB (64 MiB) did not fill a 1 MiB send queue");
            await fixture.CreateConfigMapAsync(ns, $"big-{created++}", big);
        }

        // The stalled client's connection ends; the healthy one saw every object.
        var reading = stalled.ReadUntilClosedAsync();
        await reading.WaitAsync(HubClient.Deadline);
        for (var i = 0; i < created; i++)
        {
            var added = await healthy.NextEventAsync("watch:cm");
            Assert.Equal($"big-{i}", added.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
        }

        await HubFixture.WaitForAsync(() => cache.Subscribers == 1, "the stalled client's channel to be gone");
    }

    [Fact]
    public async Task Send_SnapshotLargerThanTheQueue_DeliveredWholeOnceTheClientReads()
    {
        var (ns, payload) = await BigListAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url, read: false);
        await client.SubscribeAsync("watch:big", payload);
        // Joining a synced watch queues the whole snapshot at once (12 MiB, twelve times the
        // send queue) while this client is not reading yet; loopback socket buffers absorb part
        // of it, HubSenderTests pins the byte accounting itself.
        await HubFixture.WaitForAsync(() => fixture.Porthole.App.Services.GetRequiredService<WatchCache>().Subscribers == 2, "the second subscriber on the shared watch");
        _ = client.ReadUntilClosedAsync();

        Assert.Equal(BigCount, (await ReadSnapshotAsync(client, "watch:big")).Count);
        await fixture.CreateConfigMapAsync(ns, "after-snapshot");
        var added = await client.NextEventAsync("watch:big");
        Assert.Equal("after-snapshot", added.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
    }

    private const int BigCount = 120;

    /// <summary>A namespace of 120 ConfigMaps of 100 KiB, watched and fully read by one client (the watch is synced).</summary>
    private async Task<(string Ns, object Payload)> BigListAsync()
    {
        var ns = await fixture.NamespaceAsync();
        var big = new string('s', 100 * 1024);
        await Task.WhenAll(Enumerable.Range(0, BigCount).Select(i => fixture.CreateConfigMapAsync(ns, $"snap-{i:D3}", big)));
        var payload = new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns };
        var first = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await first.SubscribeAsync("watch:first", payload);
        Assert.Equal(BigCount, (await ReadSnapshotAsync(first, "watch:first")).Count);
        _disposables.Add(first);
        return (ns, payload);
    }

    private static async Task<HashSet<string>> ReadSnapshotAsync(HubClient client, string channel)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool continued;
        do
        {
            var payload = (await client.NextOnAsync(channel)).GetProperty("payload");
            Assert.Equal("SNAPSHOT", payload.GetProperty("type").GetString());
            foreach (var item in payload.GetProperty("objects").EnumerateArray())
            {
                Assert.True(names.Add(item.GetProperty("metadata").GetProperty("name").GetString()!));
            }

            continued = payload.TryGetProperty("continued", out var more) && more.GetBoolean();
        }
        while (continued);

        return names;
    }

    private readonly List<HubClient> _disposables = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _disposables)
        {
            await client.DisposeAsync();
        }
    }
}
