namespace Porthole.Storage;

/// <summary>
/// A kubecube shell session id waiting for its bind, as stored: <see cref="Command"/> is sealed
/// (it may carry kubecube's auth argument), <see cref="Audit"/> is JSON, <see cref="ExpiresAt"/> Unix ms.
/// </summary>
public sealed record ShellTicketRow(
    string Id, string User, string? SessionKey, string Cluster, string Namespace, string Pod, string Container, string? Command, string Audit, long ExpiresAt);

public sealed partial class PortholeStore
{
    public Task InsertShellTicketAsync(ShellTicketRow row, CancellationToken ct = default) => RunAsync("shell session id", async c =>
    {
        using var insert = Command(c,
            """
            INSERT INTO shell_tickets (id, username, session_key, cluster, namespace, pod, container, command, audit, expires_at)
            VALUES (@id, @user, @session, @cluster, @ns, @pod, @container, @command, @audit, @expires);
            """,
            ("@id", row.Id), ("@user", row.User), ("@session", row.SessionKey), ("@cluster", row.Cluster), ("@ns", row.Namespace), ("@pod", row.Pod),
            ("@container", row.Container), ("@command", row.Command), ("@audit", row.Audit), ("@expires", row.ExpiresAt));
        return await insert.ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>The waiting shell session id <paramref name="id"/>, or null.</summary>
    public Task<ShellTicketRow?> FindShellTicketAsync(string id, CancellationToken ct = default) => RunAsync("shell session id", async c =>
    {
        using var select = Command(c,
            "SELECT id, username, session_key, cluster, namespace, pod, container, command, audit, expires_at FROM shell_tickets WHERE id = @id;", ("@id", id));
        using var reader = await select.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new ShellTicketRow(reader.GetString(0), reader.GetString(1), Text(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetString(6), Text(7), reader.GetString(8), reader.GetInt64(9));
    }, ct);

    /// <summary>Deletes shell session id <paramref name="id"/>; true for the one caller that deleted it (single use across replicas).</summary>
    public Task<bool> DeleteShellTicketAsync(string id, CancellationToken ct = default) => RunAsync("shell session id", async c =>
    {
        using var delete = Command(c, "DELETE FROM shell_tickets WHERE id = @id;", ("@id", id));
        return await delete.ExecuteNonQueryAsync(ct) == 1;
    }, ct);

    /// <summary>Deletes shell session ids that expired by <paramref name="now"/>; returns how many.</summary>
    public Task<int> PruneShellTicketsAsync(DateTimeOffset now, CancellationToken ct = default) => RunAsync("shell session ids", async c =>
    {
        using var delete = Command(c, "DELETE FROM shell_tickets WHERE expires_at <= @now;", ("@now", now.ToUnixTimeMilliseconds()));
        return await delete.ExecuteNonQueryAsync(ct);
    }, ct);
}
