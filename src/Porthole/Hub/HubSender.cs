using System.Net.WebSockets;
using System.Threading.Channels;

namespace Porthole.Hub;

/// <summary>
/// One connection's outgoing queue, bounded in bytes: shared fan-out (watch events) calls
/// <see cref="TryEnqueue"/>, which never waits; a client whose queue passes the limit is closed
/// as too slow. Watch snapshots count against a larger allowance of their own
/// (<see cref="HubOptions.SnapshotQueueBytes"/>), so a big first list does not make a client that
/// reads at network speed look slow. Per-channel streams (logs, terminal) call <see cref="EnqueueAsync"/>, which waits
/// for room so their upstream read slows down instead. One writer loop sends the frames.
/// </summary>
internal sealed class HubSender
{
    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WebSocket _socket;
    private readonly HubOptions _options;
    private long _queued;
    private long _snapshots;
    private TaskCompletionSource _room = NewRoom();

    public HubSender(WebSocket socket, HubOptions options)
    {
        _socket = socket;
        _options = options;
    }

    /// <summary>Set when the queue overflowed: the connection closes with this reason.</summary>
    public string? OverflowReason { get; private set; }

    public long QueuedBytes => Interlocked.Read(ref _queued);

    /// <summary>Raised once when the queue passes its limit.</summary>
    public event Action? Overflowed;

    /// <summary>
    /// Queues a frame without waiting; false (and the connection is closing) when the client is too
    /// slow. A <paramref name="snapshot"/> frame counts against the snapshot allowance instead.
    /// </summary>
    public bool TryEnqueue(byte[] frame, bool snapshot = false)
    {
        if (OverflowReason is not null)
        {
            return false;
        }

        // Over the limit with frames still waiting: the client is behind. A single frame larger
        // than the limit still goes out to a client that keeps up.
        var queued = Interlocked.Add(ref _queued, frame.Length);
        var snapshots = snapshot ? Interlocked.Add(ref _snapshots, frame.Length) : Interlocked.Read(ref _snapshots);
        var (own, limit) = snapshot ? (snapshots, _options.SnapshotQueueBytes) : (queued - snapshots, _options.SendQueueBytes);
        if (own > limit && own > frame.Length)
        {
            Release(frame.Length, snapshot);
            Overflow(snapshot
                ? $"watch snapshots over {limit} bytes waiting: client too slow"
                : $"send queue over {limit} bytes: client too slow");
            return false;
        }

        if (!_queue.Writer.TryWrite(new Outgoing(frame, snapshot)))
        {
            Release(frame.Length, snapshot);
            return false;
        }

        return true;
    }

    /// <summary>Queues a frame once the queue is at most half full (flow control for streams).</summary>
    public async ValueTask<bool> EnqueueAsync(byte[] frame, CancellationToken cancellationToken)
    {
        while (Interlocked.Read(ref _queued) > _options.SendQueueBytes / 2)
        {
            var room = Volatile.Read(ref _room);
            if (Interlocked.Read(ref _queued) <= _options.SendQueueBytes / 2)
            {
                break;
            }

            await room.Task.WaitAsync(cancellationToken);
        }

        return TryEnqueue(frame);
    }

    /// <summary>Sends queued frames until the queue completes or the socket fails.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var outgoing))
            {
                var frame = outgoing.Frame;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(_options.SendTimeout);
                    try
                    {
                        await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        Overflow($"a frame took over {_options.SendTimeout.TotalSeconds} s to send: client not reading");
                        return;
                    }
                }

                if (Release(frame.Length, outgoing.Snapshot) <= _options.SendQueueBytes / 2)
                {
                    Interlocked.Exchange(ref _room, NewRoom()).TrySetResult();
                }
            }
        }
    }

    /// <summary>No more frames: the writer loop ends after sending what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private void Overflow(string reason)
    {
        lock (_queue)
        {
            if (OverflowReason is not null)
            {
                return;
            }

            OverflowReason = reason;
        }

        _queue.Writer.TryComplete();
        Overflowed?.Invoke();
    }

    /// <summary>Takes a frame's bytes off the counts; the bytes still queued.</summary>
    private long Release(int length, bool snapshot)
    {
        if (snapshot)
        {
            Interlocked.Add(ref _snapshots, -length);
        }

        return Interlocked.Add(ref _queued, -length);
    }

    private static TaskCompletionSource NewRoom() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct Outgoing(byte[] Frame, bool Snapshot);
}
