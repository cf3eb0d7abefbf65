namespace Porthole.Hub;

/// <summary>
/// A token bucket per connection: <see cref="HubOptions.RateLimit"/> tokens a second up to
/// <see cref="HubOptions.RateBurst"/>. Counts refusals in a row so sustained abuse can be closed.
/// </summary>
internal sealed class HubRateLimiter(HubOptions options, TimeProvider time)
{
    private double _tokens = options.RateBurst;
    private long _last = time.GetTimestamp();

    /// <summary>Messages refused since the last one that was allowed.</summary>
    public int RefusedInARow { get; private set; }

    public bool TryAcquire()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(options.RateBurst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * options.RateLimit));
        _last = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            RefusedInARow = 0;
            return true;
        }

        RefusedInARow++;
        return false;
    }
}
