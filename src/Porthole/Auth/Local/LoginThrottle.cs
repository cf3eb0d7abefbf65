using System.Collections.Concurrent;

namespace Porthole.Auth.Local;

/// <summary>
/// Failed sign-ins per (username, client IP): after <see cref="MaxFailures"/> failures within
/// <see cref="Window"/>, further attempts are refused until the window has passed. A success
/// clears the count. Time comes from the injected clock.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<(string User, string Ip), Failures> _failures = new();

    /// <summary>How long this user+IP must wait before trying again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string username, string ip)
    {
        if (!_failures.TryGetValue(Key(username, ip), out var f))
        {
            return null;
        }

        var wait = f.WindowStart + Window - time.GetUtcNow();
        return f.Count >= MaxFailures && wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string username, string ip)
    {
        var now = time.GetUtcNow();
        if (_failures.Count >= MaxTracked)
        {
            foreach (var stale in _failures.Where(e => e.Value.WindowStart + Window <= now))
            {
                _failures.TryRemove(stale);
            }
        }

        _failures.AddOrUpdate(Key(username, ip), _ => new Failures(now, 1),
            (_, f) => f.WindowStart + Window <= now ? new Failures(now, 1) : f with { Count = f.Count + 1 });
    }

    public void Succeeded(string username, string ip) => _failures.TryRemove(Key(username, ip), out _);

    private static (string, string) Key(string username, string ip) => (username.ToUpperInvariant(), ip);

    private sealed record Failures(DateTimeOffset WindowStart, int Count);
}
