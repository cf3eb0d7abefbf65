using System.Net.WebSockets;
using System.Threading.Channels;

namespace Porthole.Hub;

/// <summary>
/// One connection's outgoing queue, bounded in bytes: shared fan-out (watch events) calls
/// <see cref="TryEnqueue"/>, which never waits; a client whose queue passes the limit is closed
/// as too slow. Per-channel streams (logs, terminal) call <see cref="EnqueueAsync"/>, which waits
/// for room so their upstream read slows down instead. One writer loop sends the frames.
/// </summary>
internal sealed class HubSender
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WebSocket _socket;
    private readonly HubOptions _options;
    private long _queued;
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

    /// <summary>Queues a frame without waiting; false (and the connection is closing) when the client is too slow.</summary>
    public bool TryEnqueue(byte[] frame)
    {
        if (OverflowReason is not null)
        {
            return false;
        }

        // Over the limit with frames still waiting: the client is behind. A single frame larger
        // than the limit still goes out to a client that keeps up.
        var queued = Interlocked.Add(ref _queued, frame.Length);
        if (queued > _options.SendQueueBytes && queued > frame.Length)
        {
            Interlocked.Add(ref _queued, -frame.Length);
            Overflow($"send queue over {_options.SendQueueBytes} bytes: client too slow");
            return false;
        }

        if (!_queue.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queued, -frame.Length);
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
            while (reader.TryRead(out var frame))
            {
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

                if (Interlocked.Add(ref _queued, -frame.Length) <= _options.SendQueueBytes / 2)
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

    private static TaskCompletionSource NewRoom() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
