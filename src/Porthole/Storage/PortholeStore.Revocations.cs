namespace Porthole.Storage;

public sealed partial class PortholeStore
{
    /// <summary>Records a signed-out session; kept until the session would have expired anyway.</summary>
    public void Revoke(Guid sessionId, DateTimeOffset expiresAt)
    {
        using var connection = Connect();
        using var insert = Command(connection,
            "INSERT INTO revoked_sessions (session_id, expires_at) VALUES ($id, $exp) ON CONFLICT (session_id) DO NOTHING;",
            ("$id", sessionId.ToString("D")), ("$exp", expiresAt.ToUnixTimeSeconds()));
        insert.ExecuteNonQuery();
    }

    /// <summary>Every revoked session id that has not yet expired at <paramref name="now"/>.</summary>
    public IReadOnlyList<Guid> RevokedSessions(DateTimeOffset now)
    {
        using var connection = Connect();
        using var select = Command(connection, "SELECT session_id FROM revoked_sessions WHERE expires_at > $now;", ("$now", now.ToUnixTimeSeconds()));
        using var reader = select.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    /// <summary>Deletes revocations of sessions expired by <paramref name="now"/>; returns how many.</summary>
    public int PruneRevokedSessions(DateTimeOffset now)
    {
        using var connection = Connect();
        using var delete = Command(connection, "DELETE FROM revoked_sessions WHERE expires_at <= $now;", ("$now", now.ToUnixTimeSeconds()));
        return delete.ExecuteNonQuery();
    }
}
