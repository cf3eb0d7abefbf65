using Microsoft.Extensions.Time.Testing;
using Porthole.Auth;
using Porthole.Auth.Tokens;

namespace Porthole.Tests.Auth.Tokens;

public sealed class ValidatedTokenCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static PortholeUser User(string name) => new(name, [], AuthenticatedBy.Bearer);

    [Fact]
    public void Get_WithinOneMinute_HitAfterwardsMiss()
    {
        using var cache = new ValidatedTokenCache(_time);
        cache.Add("token-a", User("alice"), tokenExpires: null);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("alice", cache.Get("token-a")?.Name);
        Assert.Null(cache.Get("token-b"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Get("token-a"));
    }

    [Fact]
    public void Get_TokenExpiresBeforeTtl_MissAtTokenExpiry()
    {
        using var cache = new ValidatedTokenCache(_time);
        cache.Add("token-a", User("alice"), tokenExpires: _time.GetUtcNow().AddSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.NotNull(cache.Get("token-a"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Get("token-a"));
    }

    [Fact]
    public void Add_BeyondMaxEntries_CountBoundedSoonestExpiringEvicted()
    {
        using var cache = new ValidatedTokenCache(_time);
        cache.Add("first", User("first"), tokenExpires: _time.GetUtcNow().AddSeconds(5));
        for (var i = 1; i < ValidatedTokenCache.MaxEntries + 50; i++)
        {
            cache.Add($"token-{i}", User($"u{i}"), tokenExpires: null);
        }

        Assert.Equal(ValidatedTokenCache.MaxEntries, cache.Count);
        Assert.Null(cache.Get("first"));
        Assert.Equal($"u{ValidatedTokenCache.MaxEntries + 49}", cache.Get($"token-{ValidatedTokenCache.MaxEntries + 49}")?.Name);
    }

    [Fact]
    public void Cleanup_Every30Seconds_RemovesExpiredEntriesWithoutLookups()
    {
        using var cache = new ValidatedTokenCache(_time);
        for (var i = 0; i < 100; i++)
        {
            cache.Add($"old-{i}", User("old"), tokenExpires: null);
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        cache.Add("young", User("young"), tokenExpires: null);
        Assert.Equal(101, cache.Count);

        _time.Advance(TimeSpan.FromSeconds(30)); // t=60 s: cleanup runs, the 100 old entries expire exactly now
        Assert.Equal(1, cache.Count);

        _time.Advance(TimeSpan.FromSeconds(30)); // t=90 s: "young" expired at 90 s
        Assert.Equal(0, cache.Count);
    }
}
