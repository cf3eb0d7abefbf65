using System.Text;
using Microsoft.Extensions.Time.Testing;
using Porthole.Auth.Sessions;
using Porthole.Hosting;
using Porthole.Storage;

namespace Porthole.Tests.Auth.Sessions;

public sealed class SessionManagerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly PortholeStore _store;

    public SessionManagerTests() => _store = PortholeStore.Open(_dir.Path);

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static SessionSecrets Secrets(string current, string? previous = null) =>
        new(Encoding.UTF8.GetBytes(current.PadRight(32, '#')), previous is null ? null : Encoding.UTF8.GetBytes(previous.PadRight(32, '#')));

    private SessionManager Manager(SessionSecrets? secrets = null, PortholeStore? store = null) =>
        new(secrets ?? Secrets("one"), store ?? _store, _time, new PortholeOptions { SessionTtl = TimeSpan.FromHours(8) });

    [Fact]
    public void Check_ValidCookie_ReturnsUserGroupsClusterAndUuidV4()
    {
        var manager = Manager();
        var (cookie, data) = manager.Issue("alice", ["team-a", "devs"], "prod");

        Assert.Equal(SessionCheck.Valid, manager.Check(cookie, out var session));
        Assert.Equal((data.Id, "alice", data.IssuedAt, data.ExpiresAt), (session!.Data.Id, session.Data.User, session.Data.IssuedAt, session.Data.ExpiresAt));
        Assert.Equal(["team-a", "devs"], session.Data.Groups);
        Assert.Equal("prod", session.Data.Cluster);
        Assert.Equal(4, data.Id.Version);
        Assert.Equal(_time.GetUtcNow().AddHours(8).ToUnixTimeSeconds(), data.ExpiresAt);
    }

    [Fact]
    public void Check_EverySingleBitFlip_Rejected()
    {
        var manager = Manager();
        var (cookie, _) = manager.Issue("alice", ["team-a"], "prod", kubernetesToken: "secret-token");
        var bytes = Encoding.Latin1.GetBytes(cookie);
        var flips = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])bytes.Clone();
                flipped[i] ^= (byte)(1 << bit);
                var check = manager.Check(Encoding.Latin1.GetString(flipped), out var session);
                Assert.True(check != SessionCheck.Valid, $"bit {bit} of byte {i} flipped still verified");
                Assert.Null(session);
                flips++;
            }
        }

        Assert.Equal(bytes.Length * 8, flips);
        Assert.Equal(SessionCheck.Valid, manager.Check(cookie, out _));
    }

    [Fact]
    public void Check_AfterTtl_Expired()
    {
        var manager = Manager();
        var (cookie, _) = manager.Issue("alice", [], null);

        _time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.Equal(SessionCheck.Valid, manager.Check(cookie, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SessionCheck.Expired, manager.Check(cookie, out _));
    }

    [Fact]
    public async Task Check_RevokedThenNewManagerOnSameStore_StillRevoked()
    {
        var (cookie, data) = Manager().Issue("alice", [], null);
        await Manager().RevokeAsync(data, CancellationToken.None);

        _store.Dispose();
        using var reopened = PortholeStore.Open(_dir.Path);
        var restarted = Manager(store: reopened);
        Assert.Equal(SessionCheck.Valid, restarted.Check(cookie, out _)); // not loaded yet
        await restarted.LoadRevokedAsync(CancellationToken.None);

        Assert.Equal(SessionCheck.Revoked, restarted.Check(cookie, out _));
        Assert.Equal(SessionCheck.Valid, restarted.Check(restarted.Issue("alice", [], null).Cookie, out _));
    }

    [Fact]
    public void Check_Rotation_PreviousVerifiesOnlyCurrentSigns()
    {
        var (oldCookie, _) = Manager(Secrets("one")).Issue("alice", [], null, kubernetesToken: "tok-1");
        var rotated = Manager(Secrets("two", previous: "one"));

        Assert.Equal(SessionCheck.Valid, rotated.Check(oldCookie, out var old));
        Assert.Equal("tok-1", old!.Token!.Value);

        var (newCookie, _) = rotated.Issue("alice", [], null);
        Assert.Equal(SessionCheck.BadSignature, Manager(Secrets("one")).Check(newCookie, out _));
        Assert.Equal(SessionCheck.Valid, Manager(Secrets("two")).Check(newCookie, out _));

        Assert.Equal(SessionCheck.BadSignature, Manager(Secrets("three", previous: "two")).Check(oldCookie, out _));
    }

    [Fact]
    public void Check_TokenMode_TokenEncryptedInCookieAndRoundTrips()
    {
        var manager = Manager();
        var (cookie, _) = manager.Issue("bob", [], "c", kubernetesToken: "very-secret-kubernetes-token");

        var payload = Convert.FromBase64String(cookie.Split('.')[0].Replace('-', '+').Replace('_', '/').PadRight((cookie.Split('.')[0].Length + 3) / 4 * 4, '='));
        Assert.DoesNotContain("very-secret", Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        Assert.Equal(SessionCheck.Valid, manager.Check(cookie, out var session));
        Assert.Equal("very-secret-kubernetes-token", session!.Token!.Value);
        Assert.DoesNotContain("very-secret", session.Token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithCluster_SameSessionOtherCluster_OriginalUnchanged()
    {
        var manager = Manager();
        var (cookie, data) = manager.Issue("alice", [], "one");

        var switched = manager.WithCluster(data, "two");

        Assert.Equal(SessionCheck.Valid, manager.Check(switched, out var s2));
        Assert.Equal(("two", data.Id, data.ExpiresAt), (s2!.Data.Cluster, s2.Data.Id, s2.Data.ExpiresAt));
        Assert.Equal(SessionCheck.Valid, manager.Check(cookie, out var s1));
        Assert.Equal("one", s1!.Data.Cluster);
    }
}
