using System.Text.Json.Nodes;

namespace Porthole.Storage;

public sealed partial class PortholeStore
{
    /// <summary>The stored preferences of <paramref name="username"/> (an empty object when none).</summary>
    public JsonObject Preferences(string username)
    {
        using var connection = Connect();
        using var select = Command(connection, "SELECT json FROM preferences WHERE username = $u;", ("$u", username));
        return select.ExecuteScalar() is string json ? JsonNode.Parse(json)!.AsObject() : [];
    }

    /// <summary>
    /// Merges <paramref name="changes"/> into the stored preferences in one transaction: a field
    /// with a value replaces the stored one, a null field removes it, absent fields stay.
    /// </summary>
    public JsonObject UpdatePreferences(string username, JsonObject changes, DateTimeOffset now)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        using var select = Command(connection, "SELECT json FROM preferences WHERE username = $u;", ("$u", username));
        select.Transaction = transaction;
        var stored = select.ExecuteScalar() is string json ? JsonNode.Parse(json)!.AsObject() : [];
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

        using var upsert = Command(connection,
            "INSERT INTO preferences (username, json, updated_at) VALUES ($u, $j, $t) ON CONFLICT (username) DO UPDATE SET json = $j, updated_at = $t;",
            ("$u", username), ("$j", stored.ToJsonString()), ("$t", now.ToUnixTimeSeconds()));
        upsert.Transaction = transaction;
        upsert.ExecuteNonQuery();
        transaction.Commit();
        return stored;
    }
}
