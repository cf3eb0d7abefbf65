using System.Text;

namespace Porthole.Storage;

public sealed partial class PortholeStore
{
    /// <summary>Appends one entry to the audit log and returns it with its id.</summary>
    public AuditEntry RecordAudit(AuditEntry entry, DateTimeOffset now)
    {
        var time = entry.Time == default ? now : entry.Time;
        using var connection = Connect();
        using var insert = Command(connection,
            """
            INSERT INTO audit (time, username, cluster, verb, resource, namespace, name, result, details)
            VALUES ($time, $user, $cluster, $verb, $resource, $ns, $name, $result, $details) RETURNING id;
            """,
            ("$time", time.ToUnixTimeMilliseconds()), ("$user", entry.User), ("$cluster", entry.Cluster), ("$verb", entry.Verb),
            ("$resource", entry.Resource), ("$ns", entry.Namespace), ("$name", entry.Name), ("$result", entry.Result),
            ("$details", entry.Details is null ? null : System.Text.Json.JsonSerializer.Serialize(entry.Details)));
        var id = (long)insert.ExecuteScalar()!;
        return entry with { Id = id, Time = DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds()) };
    }

    /// <summary>Entries matching every given filter, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    public AuditPage QueryAudit(AuditQuery query)
    {
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }

        Filter("username = $user", "$user", query.User);
        Filter("cluster = $cluster", "$cluster", query.Cluster);
        Filter("verb = $verb", "$verb", query.Verb);
        Filter("resource = $resource", "$resource", query.Resource);
        Filter("namespace = $ns", "$ns", query.Namespace);
        Filter("result = $result", "$result", query.Result);
        Filter("time >= $since", "$since", query.Since?.ToUnixTimeMilliseconds());
        Filter("time < $until", "$until", query.Until?.ToUnixTimeMilliseconds());
        Filter("id < $before", "$before", query.Before);
        parameters.Add(("$limit", query.Limit + 1));

        using var connection = Connect();
        using var select = Command(connection,
            $"SELECT id, time, username, cluster, verb, resource, namespace, name, result, details FROM audit {where} ORDER BY id DESC LIMIT $limit;",
            [.. parameters]);
        using var reader = select.ExecuteReader();
        var items = new List<AuditEntry>();
        while (reader.Read())
        {
            items.Add(new AuditEntry(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8))
            {
                Id = reader.GetInt64(0),
                Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Details = reader.IsDBNull(9) ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9)),
            });
        }

        if (items.Count <= query.Limit)
        {
            return new AuditPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new AuditPage(items, items[^1].Id);
    }

    /// <summary>The user of the terminal whose audit entry names recording <paramref name="id"/> (older entries name the file, id.cast), or null.</summary>
    public string? RecordingOwner(string id)
    {
        using var connection = Connect();
        using var select = Command(connection,
            "SELECT username FROM audit WHERE verb = 'exec' AND json_extract(details, '$.recording') IN ($id, $file) ORDER BY id LIMIT 1;",
            ("$id", id), ("$file", id + ".cast"));
        return select.ExecuteScalar() as string;
    }
}
