using System.Collections.Concurrent;
using System.Text.Json;
using Porthole.Hosting;
using Porthole.Storage;

namespace Porthole.Auth.Sessions;

/// <summary>Why a session cookie was or was not accepted.</summary>
public enum SessionCheck
{
    Valid,
    BadSignature,
    Malformed,
    Expired,
    Revoked,
}

/// <summary>A verified session and, in token mode, the user's decrypted Kubernetes token.</summary>
public sealed record VerifiedSession(SessionData Data, KubernetesToken? Token);

/// <summary>
/// Issues and checks session cookies. A cookie is checked in this order: its signature (constant
/// time, current or previous secret), its expiry (against the injected clock), then the
/// revocation list, which lives in the store and is mirrored in memory: loaded at start
/// (<see cref="LoadRevokedAsync"/>), and with PostgreSQL kept in step with the other replicas by
/// <see cref="RevocationSync"/>. A request never waits on the database to check its cookie.
/// </summary>
public sealed class SessionManager
{
    private readonly CookieSigner _signer;
    private readonly TokenProtector _tokens;
    private readonly PortholeStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly ConcurrentDictionary<Guid, long> _revoked = new();

    public SessionManager(SessionSecrets secrets, PortholeStore store, TimeProvider time, PortholeOptions options)
    {
        _signer = new CookieSigner(secrets, "session");
        _tokens = new TokenProtector(secrets);
        _store = store;
        _time = time;
        _ttl = options.SessionTtl;
    }

    /// <summary>Revocations in the mirror now.</summary>
    public int RevokedCount => _revoked.Count;

    /// <summary>
    /// Adds every revocation the store holds to the mirror and forgets the mirrored ones that
    /// have expired (never one the store still holds: a concurrent sign-out is never lost).
    /// </summary>
    public async Task LoadRevokedAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        foreach (var revoked in await _store.RevokedSessionsAsync(now, ct))
        {
            _revoked[revoked.Id] = revoked.ExpiresAt;
        }

        foreach (var (id, expiresAt) in _revoked)
        {
            if (expiresAt <= now.ToUnixTimeSeconds())
            {
                _revoked.TryRemove(new KeyValuePair<Guid, long>(id, expiresAt));
            }
        }
    }

    /// <summary>A revocation another replica announced.</summary>
    public void AddRevoked(Guid id, long expiresAt) => _revoked[id] = expiresAt;

    /// <summary>A new session (fresh UUIDv4) for the user, valid for PORTHOLE_SESSION_TTL.</summary>
    public (string Cookie, SessionData Data) Issue(string user, IReadOnlyList<string> groups, string? cluster, string? kubernetesToken = null)
    {
        var now = _time.GetUtcNow();
        var id = Guid.NewGuid();
        var data = new SessionData(id, user, groups, cluster, now.ToUnixTimeSeconds(), now.Add(_ttl).ToUnixTimeSeconds())
        {
            EncryptedToken = kubernetesToken is null ? null : _tokens.Protect(kubernetesToken, id),
        };
        return (Encode(data), data);
    }

    /// <summary>The same session (id, expiry, token) in another cluster context.</summary>
    public string WithCluster(SessionData data, string cluster) => Encode(data with { Cluster = cluster });

    public string Encode(SessionData data) => _signer.Sign(JsonSerializer.SerializeToUtf8Bytes(data, SessionJsonContext.Default.SessionData));

    public SessionCheck Check(string cookie, out VerifiedSession? session)
    {
        session = null;
        if (!_signer.TryVerify(cookie, out var payload, out var keyIndex))
        {
            return SessionCheck.BadSignature;
        }

        SessionData? data;
        try
        {
            data = JsonSerializer.Deserialize(payload, SessionJsonContext.Default.SessionData);
        }
        catch (JsonException)
        {
            return SessionCheck.Malformed;
        }

        if (data is null || data.User is not { Length: > 0 } || data.Groups is null)
        {
            return SessionCheck.Malformed;
        }

        if (_time.GetUtcNow().ToUnixTimeSeconds() >= data.ExpiresAt)
        {
            return SessionCheck.Expired;
        }

        if (_revoked.ContainsKey(data.Id))
        {
            return SessionCheck.Revoked;
        }

        KubernetesToken? token = null;
        if (data.EncryptedToken is { } encrypted)
        {
            if (_tokens.Unprotect(encrypted, data.Id, keyIndex) is not { } plain)
            {
                return SessionCheck.Malformed;
            }

            token = new KubernetesToken(plain);
        }

        session = new VerifiedSession(data, token);
        return SessionCheck.Valid;
    }

    /// <summary>
    /// Signs the session out: its id is refused from now on, by every replica and across
    /// restarts, until it would have expired. Throws <see cref="StoreUnavailableException"/>
    /// (nothing changed) when the store cannot record it.
    /// </summary>
    public async Task RevokeAsync(SessionData data, CancellationToken ct)
    {
        await _store.RevokeAsync(data.Id, data.Expires, ct);
        _revoked[data.Id] = data.ExpiresAt;
    }
}
