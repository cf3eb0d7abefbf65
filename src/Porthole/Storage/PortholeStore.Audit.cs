using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace Porthole.Storage;

public sealed partial class PortholeStore
{
    private const string InsertAudit =
        """
        INSERT INTO audit (time, username, cluster, verb, resource, namespace, name, result, details)
        VALUES (@time, @user, @cluster, @verb, @resource, @ns, @name, @result, @details) RETURNING id;
        """;

    /// <summary>Appends one entry to the audit log and returns it with its id.</summary>
    public Task<AuditEntry> RecordAuditAsync(AuditEntry entry, DateTimeOffset now, CancellationToken ct = default) => RunAsync("audit", async c =>
    {
        var stamped = entry.Time == default ? entry with { Time = now } : entry;
        return await InsertAuditAsync(c, null, stamped, ct);
    }, ct);

    /// <summary>Appends entries (each with its time set), in order, in one statement per 100: all or none.</summary>
    public Task RecordAuditBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default) => RunAsync("audit", async c =>
    {
        using var transaction = await c.BeginTransactionAsync(ct);
        foreach (var chunk in entries.Chunk(100))
        {
            var sql = new StringBuilder("INSERT INTO audit (time, username, cluster, verb, resource, namespace, name, result, details) VALUES ");
            var parameters = new List<(string, object?)>(chunk.Length * 9);
            for (var i = 0; i < chunk.Length; i++)
            {
                var e = chunk[i];
                sql.Append(i == 0 ? "" : ", ").Append($"(@t{i}, @u{i}, @c{i}, @v{i}, @r{i}, @n{i}, @m{i}, @x{i}, @d{i})");
                parameters.AddRange([($"@t{i}", e.Time.ToUnixTimeMilliseconds()), ($"@u{i}", e.User), ($"@c{i}", e.Cluster), ($"@v{i}", e.Verb), ($"@r{i}", e.Resource),
                    ($"@n{i}", e.Namespace), ($"@m{i}", e.Name), ($"@x{i}", e.Result), ($"@d{i}", e.Details is null ? null : JsonSerializer.Serialize(e.Details))]);
            }

            using var insert = Command(c, sql.Append(';').ToString(), [.. parameters]);
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return entries.Count;
    }, ct);

    private static async Task<AuditEntry> InsertAuditAsync(DbConnection c, DbTransaction? transaction, AuditEntry entry, CancellationToken ct)
    {
        var millis = entry.Time.ToUnixTimeMilliseconds();
        using var insert = Command(c, InsertAudit,
            ("@time", millis), ("@user", entry.User), ("@cluster", entry.Cluster), ("@verb", entry.Verb),
            ("@resource", entry.Resource), ("@ns", entry.Namespace), ("@name", entry.Name), ("@result", entry.Result),
            ("@details", entry.Details is null ? null : JsonSerializer.Serialize(entry.Details)));
        insert.Transaction = transaction;
        var id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        return entry with { Id = id, Time = DateTimeOffset.FromUnixTimeMilliseconds(millis) };
    }

    /// <summary>Entries matching every given filter, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    public Task<AuditPage> QueryAuditAsync(AuditQuery query, CancellationToken ct = default)
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

        Filter("username = @user", "@user", query.User);
        Filter("cluster = @cluster", "@cluster", query.Cluster);
        Filter("verb = @verb", "@verb", query.Verb);
        Filter("resource = @resource", "@resource", query.Resource);
        Filter("namespace = @ns", "@ns", query.Namespace);
        Filter("result = @result", "@result", query.Result);
        Filter("time >= @since", "@since", query.Since?.ToUnixTimeMilliseconds());
        Filter("time < @until", "@until", query.Until?.ToUnixTimeMilliseconds());
        Filter("id < @before", "@before", query.Before);
        parameters.Add(("@limit", (long)query.Limit + 1));

        return RunAsync("audit query", async c =>
        {
            using var select = Command(c,
                $"SELECT id, time, username, cluster, verb, resource, namespace, name, result, details FROM audit {where} ORDER BY id DESC LIMIT @limit;",
                [.. parameters]);
            using var reader = await select.ExecuteReaderAsync(ct);
            var items = new List<AuditEntry>();
            while (await reader.ReadAsync(ct))
            {
                items.Add(new AuditEntry(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8))
                {
                    Id = reader.GetInt64(0),
                    Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    Details = reader.IsDBNull(9) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9)),
                });
            }

            if (items.Count <= query.Limit)
            {
                return new AuditPage(items, null);
            }

            items.RemoveAt(items.Count - 1);
            return new AuditPage(items, items[^1].Id);
        }, ct);
    }
}
