namespace Porthole.Hub;

/// <summary>
/// A token bucket per connection: <see cref="HubOptions.RateLimit"/> tokens a second up to
/// <see cref="HubOptions.RateBurst"/>. Also counts refusals per second, so sustained abuse
/// (more than <see cref="HubOptions.RateAbuseLimit"/> refused in one second) can be closed.
/// </summary>
internal sealed class HubRateLimiter(HubOptions options, TimeProvider time)
{
    private double _tokens = options.RateBurst;
    private long _last = time.GetTimestamp();
    private long _windowStart = time.GetTimestamp();

    /// <summary>Messages refused in the current one-second window.</summary>
    public int RefusedThisSecond { get; private set; }

    public bool TryAcquire()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(options.RateBurst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * options.RateLimit));
        _last = now;
        if (time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
        {
            _windowStart = now;
            RefusedThisSecond = 0;
        }

        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        RefusedThisSecond++;
        return false;
    }
}
