namespace Porthole.Storage;

/// <summary>Failed sign-ins of one (user, client address) within the current window.</summary>
public readonly record struct LoginFailures(DateTimeOffset WindowStart, long Count);

public sealed partial class PortholeStore
{
    /// <summary>The failures counted for (<paramref name="username"/>, <paramref name="ip"/>), or null.</summary>
    public Task<LoginFailures?> LoginFailuresAsync(string username, string ip, CancellationToken ct = default) => RunAsync<LoginFailures?>("sign-in", async c =>
    {
        using var select = Command(c, "SELECT window_start, failures FROM login_failures WHERE username = @u AND ip = @ip;", ("@u", username), ("@ip", ip));
        using var reader = await select.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new LoginFailures(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetInt64(1)) : null;
    }, ct);

    /// <summary>Counts one failure atomically (every replica counts into the same row); a window older than <paramref name="window"/> starts over.</summary>
    public Task LoginFailedAsync(string username, string ip, DateTimeOffset now, TimeSpan window, CancellationToken ct = default) => RunAsync("sign-in", async c =>
    {
        using var upsert = Command(c,
            """
            INSERT INTO login_failures (username, ip, window_start, failures) VALUES (@u, @ip, @now, 1)
            ON CONFLICT (username, ip) DO UPDATE SET
                failures = CASE WHEN login_failures.window_start + @window <= @now THEN 1 ELSE login_failures.failures + 1 END,
                window_start = CASE WHEN login_failures.window_start + @window <= @now THEN @now ELSE login_failures.window_start END;
            """,
            ("@u", username), ("@ip", ip), ("@now", now.ToUnixTimeMilliseconds()), ("@window", (long)window.TotalMilliseconds));
        return await upsert.ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>Forgets the failures of (<paramref name="username"/>, <paramref name="ip"/>) (a success).</summary>
    public Task LoginSucceededAsync(string username, string ip, CancellationToken ct = default) => RunAsync("sign-in", async c =>
    {
        using var delete = Command(c, "DELETE FROM login_failures WHERE username = @u AND ip = @ip;", ("@u", username), ("@ip", ip));
        return await delete.ExecuteNonQueryAsync(ct);
    }, ct);

    /// <summary>Deletes failure counts whose window ended by <paramref name="now"/>; returns how many.</summary>
    public Task<int> PruneLoginFailuresAsync(DateTimeOffset now, TimeSpan window, CancellationToken ct = default) => RunAsync("prune sign-in failures", async c =>
    {
        using var delete = Command(c, "DELETE FROM login_failures WHERE window_start + @window <= @now;", ("@now", now.ToUnixTimeMilliseconds()), ("@window", (long)window.TotalMilliseconds));
        return await delete.ExecuteNonQueryAsync(ct);
    }, ct);
}
