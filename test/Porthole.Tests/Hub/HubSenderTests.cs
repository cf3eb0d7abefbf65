using System.Net.WebSockets;
using Porthole.Hub;

namespace Porthole.Tests.Hub;

/// <summary>
/// The send queue's byte accounting, on a real WebSocket whose writer loop has not started, so
/// every frame stays queued and the counts are exact.
/// </summary>
public sealed class HubSenderTests
{
    private const int MiB = 1024 * 1024;
    private static readonly HubOptions Options = new() { SendQueueBytes = MiB, SnapshotQueueBytes = 8 * MiB };

    [Fact]
    public void TryEnqueue_SnapshotBeyondTheSendQueue_QueuedAndLiveEventsStillFit()
    {
        var sender = Sender();

        for (var i = 0; i < 6; i++)
        {
            Assert.True(sender.TryEnqueue(new byte[MiB], snapshot: true));
        }

        Assert.True(sender.TryEnqueue(new byte[MiB / 2]));
        Assert.True(sender.TryEnqueue(new byte[MiB / 4]));
        Assert.Null(sender.OverflowReason);
        Assert.Equal(6 * MiB + MiB / 2 + MiB / 4, sender.QueuedBytes);
    }

    [Fact]
    public void TryEnqueue_LiveEventsOverTheSendQueue_ClosedAsTooSlow()
    {
        var sender = Sender();
        Assert.True(sender.TryEnqueue(new byte[MiB / 2]));
        Assert.True(sender.TryEnqueue(new byte[MiB / 2]));

        Assert.False(sender.TryEnqueue(new byte[1]));
        Assert.Equal("send queue over 1048576 bytes: client too slow", sender.OverflowReason);
    }

    [Fact]
    public void TryEnqueue_SnapshotsOverTheirAllowance_ClosedAsTooSlow()
    {
        var sender = Sender();
        var overflowed = 0;
        sender.Overflowed += () => overflowed++;

        for (var i = 0; i < 8; i++)
        {
            Assert.True(sender.TryEnqueue(new byte[MiB], snapshot: true));
        }

        Assert.False(sender.TryEnqueue(new byte[1], snapshot: true));
        Assert.Equal("watch snapshots over 8388608 bytes waiting: client too slow", sender.OverflowReason);
        Assert.Equal(1, overflowed);
        Assert.False(sender.TryEnqueue(new byte[1]));
    }

    private static HubSender Sender() =>
        new(WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true }), Options);
}
