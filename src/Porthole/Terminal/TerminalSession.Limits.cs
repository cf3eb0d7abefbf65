namespace Porthole.Terminal;

/// <summary>The lifetime and idle timeout of a terminal, on the injected clock.</summary>
public sealed partial class TerminalSession
{
    private readonly TimeProvider _time;
    private readonly TerminalLimits _limits;
    private ITimer? _lifetimeWarning;
    private ITimer? _lifetimeEnd;
    private ITimer? _idle;
    private long _lastInput;
    private int _idleWarned;
    private TerminalEvent.Ended? _ended;

    private void StartTimers()
    {
        var lifetime = _limits.Lifetime;
        var lead = TerminalLimits.Lead(lifetime, TerminalLimits.LifetimeWarning);
        _lifetimeWarning = _time.CreateTimer(_ => Notify(
            $"This terminal session closes in {TerminalLimits.Describe(lead)}: its maximum lifetime is {TerminalLimits.Describe(lifetime)}."),
            null, lifetime - lead, Timeout.InfiniteTimeSpan);
        _lifetimeEnd = _time.CreateTimer(_ => _ = EndAsync(new TerminalEvent.Ended(TerminalEvent.Ended.Lifetime,
            $"The terminal session was closed: it reached its maximum lifetime of {TerminalLimits.Describe(lifetime)}.")),
            null, lifetime, Timeout.InfiniteTimeSpan);
        if (_limits.IdleTimeout > TimeSpan.Zero)
        {
            _idle = _time.CreateTimer(_ => CheckIdle(), null, _limits.IdleTimeout - IdleLead, Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan IdleLead => TerminalLimits.Lead(_limits.IdleTimeout, TerminalLimits.IdleWarning);

    /// <summary>User input: the idle time starts again (and may be announced again).</summary>
    private void Touch()
    {
        Interlocked.Exchange(ref _lastInput, _time.GetTimestamp());
        Interlocked.Exchange(ref _idleWarned, 0);
    }

    /// <summary>Runs when the idle notice or end may be due; re-arms itself for whichever comes next.</summary>
    private void CheckIdle()
    {
        var timeout = _limits.IdleTimeout;
        var idle = _time.GetElapsedTime(Interlocked.Read(ref _lastInput));
        if (idle >= timeout)
        {
            _ = EndAsync(new TerminalEvent.Ended(TerminalEvent.Ended.IdleTimeout,
                $"The terminal session was closed after {TerminalLimits.Describe(timeout)} without input."));
            return;
        }

        var warnAt = timeout - IdleLead;
        if (idle < warnAt)
        {
            _idle?.Change(warnAt - idle, Timeout.InfiniteTimeSpan);
            return;
        }

        if (Interlocked.Exchange(ref _idleWarned, 1) == 0)
        {
            Notify($"This terminal session closes in {TerminalLimits.Describe(timeout - idle)} unless you type: it closes after {TerminalLimits.Describe(timeout)} without input.");
        }

        _idle?.Change(timeout - idle, Timeout.InfiniteTimeSpan);
    }

    private void Notify(string message) => _events.Writer.TryWrite(new TerminalEvent.Toast(message));

    /// <summary>Ends the exec on purpose; the pump then reports <paramref name="ended"/> as the last event.</summary>
    private async Task EndAsync(TerminalEvent.Ended ended)
    {
        if (Interlocked.CompareExchange(ref _ended, ended, null) is null)
        {
            await _exec.DisposeAsync();
        }
    }

    private async ValueTask DisposeTimersAsync()
    {
        foreach (var timer in new[] { _lifetimeWarning, _lifetimeEnd, _idle })
        {
            if (timer is not null)
            {
                await timer.DisposeAsync();
            }
        }
    }
}
