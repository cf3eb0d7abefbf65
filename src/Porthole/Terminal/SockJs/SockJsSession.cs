using System.Threading.Channels;

namespace Porthole.Terminal.SockJs;

/// <summary>What a receiving transport delivers next: messages, a heartbeat, or the close.</summary>
public readonly record struct SockJsOutgoing(IReadOnlyList<string>? Messages, (int Code, string Reason)? Close)
{
    public static readonly SockJsOutgoing Heartbeat = new(null, null);

    public string ToFrame() => Messages is { } m ? SockJsFrames.Messages(m)
        : Close is { } c ? SockJsFrames.Close(c.Code, c.Reason)
        : SockJsFrames.Heartbeat;
}

/// <summary>
/// One SockJS session: an outbox the handler fills and at most one receiving connection drains,
/// an inbox the handler reads in order. It expires <see cref="SockJsOptions.DisconnectDelay"/>
/// after losing its receiving connection (then <see cref="Aborted"/> fires and it is forgotten).
/// Once closed, every later receiving request gets the same close frame.
/// </summary>
public sealed class SockJsSession
{
    private readonly object _lock = new();
    private readonly List<string> _outbox = [];
    private readonly Channel<string> _inbox = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly CancellationTokenSource _aborted = new();
    private readonly ITimer _expiry;
    private readonly TimeSpan _disconnectDelay;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (int Code, string Reason)? _close;
    private object? _receiver;
    private bool _opened;

    public SockJsSession(string id, TerminalUser owner, TimeSpan disconnectDelay, TimeProvider time, Action<SockJsSession> expired)
    {
        Id = id;
        Owner = owner;
        _disconnectDelay = disconnectDelay;
        _expiry = time.CreateTimer(_ => Expire(expired), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Id { get; }

    /// <summary>The signed-in session that opened it; every later request must come from it.</summary>
    public TerminalUser Owner { get; }

    /// <summary>Fires when the session expired (the client went away).</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Client messages, in order.</summary>
    public ChannelReader<string> Inbox => _inbox.Reader;

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _close is not null;
            }
        }
    }

    /// <summary>Queues a message for the client (dropped once the session is closed).</summary>
    public void Send(string message)
    {
        lock (_lock)
        {
            if (_close is null)
            {
                _outbox.Add(message);
                Signal();
            }
        }
    }

    /// <summary>Closes the session: queued messages are still delivered, then <c>c[code,"reason"]</c>.</summary>
    public void Close(int code, string reason)
    {
        lock (_lock)
        {
            _close ??= (code, reason);
            _inbox.Writer.TryComplete();
            Signal();
        }
    }

    /// <summary>Hands client messages to the handler (waits while 1024 are unread).</summary>
    public async ValueTask DeliverAsync(IReadOnlyList<string> messages, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            if (!await _inbox.Writer.WaitToWriteAsync(ct) || !_inbox.Writer.TryWrite(message))
            {
                return; // closed: late messages are dropped
            }
        }
    }

    /// <summary>Makes <paramref name="receiver"/> the receiving connection; false when another one is.</summary>
    public bool TryAttach(object receiver)
    {
        lock (_lock)
        {
            if (_receiver is not null && !ReferenceEquals(_receiver, receiver))
            {
                return false;
            }

            _receiver = receiver;
            _expiry.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    public void Detach(object receiver)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_receiver, receiver))
            {
                _receiver = null;
                _expiry.Change(_disconnectDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>True exactly once: the first receiving connection writes the open frame.</summary>
    public bool TryOpen()
    {
        lock (_lock)
        {
            var first = !_opened;
            _opened = true;
            return first;
        }
    }

    /// <summary>Waits for what to send next; a heartbeat when nothing came within <paramref name="heartbeat"/>.</summary>
    public async Task<SockJsOutgoing> NextAsync(TimeSpan heartbeat, TimeProvider time, CancellationToken ct)
    {
        Task signal;
        lock (_lock)
        {
            if (_outbox.Count > 0)
            {
                var messages = _outbox.ToArray();
                _outbox.Clear();
                return new SockJsOutgoing(messages, null);
            }

            if (_close is { } close)
            {
                return new SockJsOutgoing(null, close);
            }

            signal = _signal.Task;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(heartbeat, time, wait.Token);
        var done = await Task.WhenAny(signal, delay);
        await wait.CancelAsync();
        ct.ThrowIfCancellationRequested();
        return done == signal ? await NextAsync(heartbeat, time, ct) : SockJsOutgoing.Heartbeat;
    }

    private void Signal()
    {
        _signal.TrySetResult();
        _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void Expire(Action<SockJsSession> expired)
    {
        lock (_lock)
        {
            if (_receiver is not null)
            {
                return;
            }

            _close ??= (3000, "Go away!");
            _inbox.Writer.TryComplete();
        }

        _aborted.Cancel();
        _expiry.Dispose();
        expired(this);
    }
}
