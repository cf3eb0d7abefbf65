namespace Porthole.Storage;

/// <summary>A terminal recording's index row: who made it, of what, when.</summary>
public sealed record RecordingInfo(string Id, string User, string Cluster, string Namespace, string Pod, string Container, DateTimeOffset Started);

public sealed partial class PortholeStore
{
    /// <summary>Indexes a new recording (before its first bytes), so any replica finds it while it runs.</summary>
    public Task StartRecordingAsync(RecordingInfo info, CancellationToken ct = default) => RunAsync("recording", async c =>
    {
        using var insert = Command(c,
            "INSERT INTO recordings (id, username, cluster, namespace, pod, container, started_at) VALUES (@id, @user, @cluster, @ns, @pod, @container, @started);",
            ("@id", info.Id), ("@user", info.User), ("@cluster", info.Cluster), ("@ns", info.Namespace), ("@pod", info.Pod), ("@container", info.Container),
            ("@started", info.Started.ToUnixTimeMilliseconds()));
        return await insert.ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>Appends chunk <paramref name="seq"/> (0, 1, 2…) of a recording's asciicast bytes.</summary>
    public Task AppendRecordingAsync(string id, long seq, ReadOnlyMemory<byte> data, CancellationToken ct = default) => RunAsync("recording", async c =>
    {
        using var transaction = await c.BeginTransactionAsync(ct);
        using var insert = Command(c,
            "INSERT INTO recording_chunks (recording_id, seq, data) VALUES (@id, @seq, @data); UPDATE recordings SET bytes = bytes + @length WHERE id = @id;",
            ("@id", id), ("@seq", seq), ("@data", data.ToArray()), ("@length", (long)data.Length));
        insert.Transaction = transaction;
        await insert.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return 0;
    }, ct);

    /// <summary>Marks a recording complete.</summary>
    public Task EndRecordingAsync(string id, DateTimeOffset ended, CancellationToken ct = default) => RunAsync("recording", async c =>
    {
        using var update = Command(c, "UPDATE recordings SET ended_at = @ended WHERE id = @id;", ("@id", id), ("@ended", ended.ToUnixTimeMilliseconds()));
        return await update.ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>
    /// The user who made recording <paramref name="id"/>: from the recordings index, else (a
    /// recording file from before the index) from the terminal's audit entry
    /// (details.recording = id, or the file name id.cast); null when nobody is known to have.
    /// </summary>
    public Task<string?> RecordingOwnerAsync(string id, CancellationToken ct = default) => RunAsync("recording", async c =>
    {
        using var indexed = Command(c, "SELECT username FROM recordings WHERE id = @id;", ("@id", id));
        if (await indexed.ExecuteScalarAsync(ct) is string user)
        {
            return user;
        }

        using var audited = Command(c,
            $"SELECT username FROM audit WHERE verb = 'exec' AND {_dialect.JsonText("details", "recording")} IN (@id, @file) ORDER BY id LIMIT 1;",
            ("@id", id), ("@file", id + ".cast"));
        return await audited.ExecuteScalarAsync(ct) as string;
    }, ct);

    /// <summary>
    /// Hands the recording's bytes, chunk by chunk in order, to <paramref name="write"/>; false
    /// (nothing written) when the store holds no recording with this id.
    /// </summary>
    public Task<bool> ReadRecordingAsync(string id, Func<ReadOnlyMemory<byte>, CancellationToken, Task> write, CancellationToken ct = default) => RunAsync("recording", async c =>
    {
        using var exists = Command(c, "SELECT COUNT(*) FROM recordings WHERE id = @id;", ("@id", id));
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return false;
        }

        using var select = Command(c, "SELECT data FROM recording_chunks WHERE recording_id = @id ORDER BY seq;", ("@id", id));
        using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            await write((byte[])reader.GetValue(0), ct);
        }

        return true;
    }, ct);
}
