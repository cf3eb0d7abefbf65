using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters.Caching;
using Porthole.Hub;

namespace Porthole.Tests.Hub;

/// <summary>A hub with a short send timeout, so a client that stops reading is caught quickly.</summary>
public sealed class SmallQueueFixture : HubFixture
{
    protected override HubOptions Options => new() { SendQueueBytes = 1024 * 1024, SendTimeout = TimeSpan.FromSeconds(2) };
}

public sealed class SlowConsumerTests(SmallQueueFixture fixture) : IClassFixture<SmallQueueFixture>
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
}
