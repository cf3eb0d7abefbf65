using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Porthole.Auth.Tokens;

/// <summary>
/// Users of bearer tokens that were validated recently, keyed by SHA-256 of the token (the token
/// itself is never kept). An entry lives for at most <see cref="Ttl"/> (1 minute) and never past
/// the token's own expiry; at most <see cref="MaxEntries"/> (10,000) entries, the soonest to
/// expire evicted first; expired entries are removed every 30 s.
/// </summary>
public sealed class ValidatedTokenCache : IDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan CleanupInterval = TimeSpan.FromSeconds(30);
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _cleanup;
    private readonly Lock _evictLock = new();

    public ValidatedTokenCache(TimeProvider time)
    {
        _time = time;
        _cleanup = time.CreateTimer(_ => RemoveExpired(), null, CleanupInterval, CleanupInterval);
    }

    public int Count => _entries.Count;

    public PortholeUser? Get(string token)
    {
        var key = Key(token);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.Expires > _time.GetUtcNow())
        {
            return entry.User;
        }

        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return null;
    }

    /// <summary>Caches a validated token's user until the sooner of 1 minute from now and <paramref name="tokenExpires"/>.</summary>
    public void Add(string token, PortholeUser user, DateTimeOffset? tokenExpires)
    {
        var now = _time.GetUtcNow();
        var expires = now + Ttl;
        if (tokenExpires is { } exp && exp < expires)
        {
            expires = exp;
        }

        if (expires <= now)
        {
            return;
        }

        var key = Key(token);
        if (!_entries.ContainsKey(key) && _entries.Count >= MaxEntries)
        {
            lock (_evictLock)
            {
                RemoveExpired();
                while (_entries.Count >= MaxEntries)
                {
                    var soonest = _entries.MinBy(e => e.Value.Expires);
                    _entries.TryRemove(soonest);
                }
            }
        }

        _entries[key] = new Entry(user, expires);
    }

    /// <summary>Removes every entry expired by now (the 30 s cleanup).</summary>
    public void RemoveExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var entry in _entries)
        {
            if (entry.Value.Expires <= now)
            {
                _entries.TryRemove(entry);
            }
        }
    }

    public void Dispose() => _cleanup.Dispose();

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Entry(PortholeUser User, DateTimeOffset Expires);
}
