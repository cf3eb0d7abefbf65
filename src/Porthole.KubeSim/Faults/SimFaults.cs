using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Faults;

/// <summary>
/// Faults a test or benchmark can inject into a running simulator, in-process through
/// <c>SimServer.Faults</c> or over HTTP at /kubesim/v1/faults (sim-admin only): dropped and
/// expired watches, latency, failed requests and a listener that goes away and comes back.
/// State is kept; only the way the API answers changes.
/// </summary>
public sealed partial class SimFaults
{
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private FaultSettings _settings = FaultSettings.None;
    private int _expireWatches;
    private long _watchesDropped;
    private long _watchesExpired;
    private long _requestsDelayed;
    private long _requestsFailed;
    private long _listenerRestarts;
    private Func<Task>? _stopListener;
    private Func<Task>? _startListener;

    internal SimFaults(ObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Latency and error injection currently in force.</summary>
    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    /// <summary>What was injected so far, and what is pending.</summary>
    public FaultReport Report()
    {
        lock (_gate)
        {
            return new FaultReport(
                _settings,
                _expireWatches,
                Interlocked.Read(ref _watchesDropped),
                Interlocked.Read(ref _watchesExpired),
                Interlocked.Read(ref _requestsDelayed),
                Interlocked.Read(ref _requestsFailed),
                Interlocked.Read(ref _listenerRestarts),
                ListenerDown);
        }
    }

    /// <summary>True while the listener is stopped (connections are refused).</summary>
    public bool ListenerDown { get; private set; }

    /// <summary>
    /// Ends every open watch now: HTTP watch streams finish (clients re-watch), in-process
    /// controllers resume or relist. Returns how many were closed.
    /// </summary>
    public int DropWatches()
    {
        var closed = _store.CloseWatches();
        Interlocked.Add(ref _watchesDropped, closed);
        return closed;
    }

    /// <summary>The next <paramref name="count"/> HTTP watch requests get a 410 Expired ERROR event instead of a stream.</summary>
    public void ExpireNextWatches(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _expireWatches = count;
        }
    }

    /// <summary>Every request (health checks and this admin API aside) waits <paramref name="fixedDelay"/> plus up to <paramref name="jitter"/>.</summary>
    public void SetLatency(TimeSpan fixedDelay, TimeSpan jitter = default)
    {
        if (fixedDelay < TimeSpan.Zero || jitter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(fixedDelay), "latency must not be negative");
        }

        lock (_gate)
        {
            _settings = _settings with { Latency = fixedDelay, Jitter = jitter };
        }
    }

    /// <summary>A <paramref name="fraction"/> (0 to 1) of requests fail with <paramref name="status"/>: 429 (with Retry-After), 500 or 503.</summary>
    public void SetErrors(double fraction, int status = 503, int retryAfterSeconds = 1)
    {
        if (fraction is < 0 or > 1 || double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), "the error fraction must be between 0 and 1");
        }

        if (status is not (429 or 500 or 503))
        {
            throw new ArgumentOutOfRangeException(nameof(status), "injected errors are 429, 500 or 503");
        }

        lock (_gate)
        {
            _settings = _settings with { ErrorFraction = fraction, ErrorStatus = status, RetryAfterSeconds = Math.Max(0, retryAfterSeconds) };
        }
    }

    /// <summary>Removes latency, errors and pending watch expiries.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _settings = FaultSettings.None;
            _expireWatches = 0;
        }
    }

    /// <summary>Stops the listener (connections are refused) after ending open watches; the state is kept.</summary>
    public async Task StopListenerAsync()
    {
        var stop = _stopListener ?? throw new InvalidOperationException("the listener is not controllable");
        DropWatches();
        await stop();
        ListenerDown = true;
    }

    /// <summary>Listens again on the same address and port.</summary>
    public async Task StartListenerAsync()
    {
        var start = _startListener ?? throw new InvalidOperationException("the listener is not controllable");
        await start();
        ListenerDown = false;
        Interlocked.Increment(ref _listenerRestarts);
    }

    /// <summary>Stops the listener, waits <paramref name="downFor"/> (on the simulator's clock) and starts it again.</summary>
    public async Task RestartListenerAsync(TimeSpan downFor, CancellationToken ct = default)
    {
        await StopListenerAsync();
        try
        {
            await Task.Delay(downFor, _time, ct);
        }
        finally
        {
            await StartListenerAsync();
        }
    }

    internal void AttachListener(Func<Task> stop, Func<Task> start)
    {
        _stopListener = stop;
        _startListener = start;
    }

    /// <summary>Takes one pending watch expiry, if any.</summary>
    internal bool TakeWatchExpiry()
    {
        lock (_gate)
        {
            if (_expireWatches == 0)
            {
                return false;
            }

            _expireWatches--;
        }

        Interlocked.Increment(ref _watchesExpired);
        return true;
    }

    internal void Delayed() => Interlocked.Increment(ref _requestsDelayed);

    internal void Failed() => Interlocked.Increment(ref _requestsFailed);
}

/// <summary>Latency and error injection: a fixed delay plus uniform jitter, and a fraction of requests failing with one status.</summary>
public sealed record FaultSettings(TimeSpan Latency, TimeSpan Jitter, double ErrorFraction, int ErrorStatus, int RetryAfterSeconds)
{
    public static FaultSettings None { get; } = new(TimeSpan.Zero, TimeSpan.Zero, 0, 503, 1);
}

/// <summary>Injected so far: dropped and expired watches, delayed and failed requests, listener restarts.</summary>
public sealed record FaultReport(
    FaultSettings Settings,
    int PendingWatchExpiries,
    long WatchesDropped,
    long WatchesExpired,
    long RequestsDelayed,
    long RequestsFailed,
    long ListenerRestarts,
    bool ListenerDown);
