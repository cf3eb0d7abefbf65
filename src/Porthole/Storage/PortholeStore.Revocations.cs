namespace Porthole.Storage;

/// <summary>A signed-out session and when it would have expired anyway (Unix seconds).</summary>
public readonly record struct RevokedSession(Guid Id, long ExpiresAt);

public sealed partial class PortholeStore
{
    /// <summary>
    /// Records a signed-out session; kept until the session would have expired anyway. On
    /// PostgreSQL the same transaction announces it to every replica (NOTIFY porthole_revoked).
    /// </summary>
    public Task RevokeAsync(Guid sessionId, DateTimeOffset expiresAt, CancellationToken ct = default) => RunAsync("sign-out", async c =>
    {
        using var transaction = await c.BeginTransactionAsync(ct);
        using var insert = Command(c,
            "INSERT INTO revoked_sessions (session_id, expires_at) VALUES (@id, @exp) ON CONFLICT (session_id) DO NOTHING;" + _dialect.AfterRevoke,
            ("@id", sessionId.ToString("D")), ("@exp", expiresAt.ToUnixTimeSeconds()));
        insert.Transaction = transaction;
        await insert.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return 0;
    }, ct);

    /// <summary>Every revoked session that has not yet expired at <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<RevokedSession>> RevokedSessionsAsync(DateTimeOffset now, CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<RevokedSession>>("revocation list", async c =>
        {
            using var select = Command(c, "SELECT session_id, expires_at FROM revoked_sessions WHERE expires_at > @now;", ("@now", now.ToUnixTimeSeconds()));
            using var reader = await select.ExecuteReaderAsync(ct);
            var ids = new List<RevokedSession>();
            while (await reader.ReadAsync(ct))
            {
                ids.Add(new RevokedSession(Guid.Parse(reader.GetString(0)), reader.GetInt64(1)));
            }

            return ids;
        }, ct);

    /// <summary>Deletes revocations of sessions expired by <paramref name="now"/>; returns how many.</summary>
    public Task<int> PruneRevokedSessionsAsync(DateTimeOffset now, CancellationToken ct = default) => RunAsync("prune revocations", async c =>
    {
        using var delete = Command(c, "DELETE FROM revoked_sessions WHERE expires_at <= @now;", ("@now", now.ToUnixTimeSeconds()));
        return await delete.ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>
    /// PostgreSQL only: hears the revocations of every replica as they commit (LISTEN
    /// porthole_revoked). <paramref name="listening"/> runs once listening (resync there),
    /// <paramref name="idle"/> after each <paramref name="resync"/> without an announcement.
    /// Returns only by throwing: <see cref="StoreUnavailableException"/> when the connection is lost.
    /// </summary>
    public async Task ListenForRevocationsAsync(Func<CancellationToken, Task> listening, Action<RevokedSession> revoked, Func<CancellationToken, Task> idle,
        TimeSpan resync, CancellationToken ct)
    {
        if (_dialect is not Postgres.PostgresDialect postgres)
        {
            throw new NotSupportedException("only a shared (PostgreSQL) store announces revocations");
        }

        try
        {
            await postgres.ListenAsync(listening, payload =>
            {
                var parts = payload.Split(' ');
                if (parts.Length == 2 && Guid.TryParse(parts[0], out var id) && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var exp))
                {
                    revoked(new RevokedSession(id, exp));
                }
            }, idle, resync, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && _dialect.IsUnavailable(e))
        {
            Health.MarkDown($"{e.GetType().Name}: {e.Message}");
            throw new StoreUnavailableException($"revocation listener: the {Provider} store at {Description} is unavailable: {e.Message}", e);
        }
    }
}
