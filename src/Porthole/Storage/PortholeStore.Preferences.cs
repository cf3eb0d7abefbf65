using System.Text.Json.Nodes;

namespace Porthole.Storage;

public sealed partial class PortholeStore
{
    /// <summary>The stored preferences of <paramref name="username"/> (an empty object when none).</summary>
    public Task<JsonObject> PreferencesAsync(string username, CancellationToken ct = default) => RunAsync("preferences", async c =>
    {
        using var select = Command(c, "SELECT json FROM preferences WHERE username = @u;", ("@u", username));
        return await select.ExecuteScalarAsync(ct) is string json ? JsonNode.Parse(json)!.AsObject() : [];
    }, ct);

    /// <summary>
    /// Merges <paramref name="changes"/> into the stored preferences in one transaction: a field
    /// with a value replaces the stored one, a null field removes it, absent fields stay. The row
    /// is locked while merging (PostgreSQL: FOR UPDATE after an upsert of an empty row), so two
    /// replicas changing different fields at once keep both changes.
    /// </summary>
    public Task<JsonObject> UpdatePreferencesAsync(string username, JsonObject changes, DateTimeOffset now, CancellationToken ct = default) => RunAsync("preferences", async c =>
    {
        using var transaction = await c.BeginTransactionAsync(ct);
        using (var ensure = Command(c, "INSERT INTO preferences (username, json, updated_at) VALUES (@u, '{}', @t) ON CONFLICT (username) DO NOTHING;",
            ("@u", username), ("@t", now.ToUnixTimeSeconds())))
        {
            ensure.Transaction = transaction;
            await ensure.ExecuteNonQueryAsync(ct);
        }

        using var select = Command(c, "SELECT json FROM preferences WHERE username = @u" + _dialect.ForUpdate + ";", ("@u", username));
        select.Transaction = transaction;
        var stored = await select.ExecuteScalarAsync(ct) is string json ? JsonNode.Parse(json)!.AsObject() : [];
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                stored.Remove(key);
            }
            else
            {
                stored[key] = value.DeepClone();
            }
        }

        using var update = Command(c, "UPDATE preferences SET json = @j, updated_at = @t WHERE username = @u;",
            ("@u", username), ("@j", stored.ToJsonString()), ("@t", now.ToUnixTimeSeconds()));
        update.Transaction = transaction;
        await update.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return stored;
    }, ct);
}
