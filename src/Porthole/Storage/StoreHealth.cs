namespace Porthole.Storage;

/// <summary>
/// Whether the store answered its last call. Any call that fails because the database is
/// unavailable marks it down; any call that succeeds marks it up again. While it is down,
/// mutations that must be audited and sign-ins are refused (fail closed), /readyz says
/// Degraded, and <see cref="StoreMaintenance"/> probes it every second until it answers.
/// </summary>
public sealed class StoreHealth(TimeProvider time)
{
    private readonly Lock _lock = new();
    private string? _error;
    private DateTimeOffset _since = time.GetUtcNow();

    /// <summary>True unless the last call failed for want of the database.</summary>
    public bool Available
    {
        get
        {
            lock (_lock)
            {
                return _error is null;
            }
        }
    }

    /// <summary>Why the store is down, and since when; null while it is up.</summary>
    public (string Error, DateTimeOffset Since)? Down
    {
        get
        {
            lock (_lock)
            {
                return _error is null ? null : (_error, _since);
            }
        }
    }

    /// <summary>Raised (outside the lock) when the store goes down (false) or comes back (true).</summary>
    public event Action<bool>? Changed;

    public void MarkUp() => Set(null);

    public void MarkDown(string error) => Set(error);

    private void Set(string? error)
    {
        bool changed;
        lock (_lock)
        {
            changed = (_error is null) != (error is null);
            _error = error;
            if (changed)
            {
                _since = time.GetUtcNow();
            }
        }

        if (changed)
        {
            Changed?.Invoke(error is null);
        }
    }

    /// <summary>Throws <see cref="StoreUnavailableException"/> while the store is down.</summary>
    public void ThrowIfDown(string what)
    {
        if (Down is { } down)
        {
            throw new StoreUnavailableException($"{what}: the store is unavailable ({down.Error}); try again shortly");
        }
    }
}
