using System.Data.Common;

namespace Porthole.Storage;

/// <summary>
/// Schema migrations, the same steps for both providers (each written once, with the few type
/// names the dialects spell differently as placeholders), applied in order at open; each runs in its own transaction together with
/// the version bump, so a crash leaves the schema at a whole version. PostgreSQL takes an
/// advisory lock around them, so replicas starting together migrate once. Append, never edit.
/// </summary>
internal static class StoreMigrations
{
    /// <summary>
    /// One migration step, written once; the dialect fills in its types: <c>{int}</c> (64-bit),
    /// <c>{blob}</c>, <c>{id}</c> (an ascending 64-bit primary key) and <c>{without rowid}</c>.
    /// </summary>
    public sealed record Step(string Ddl);

    internal static readonly Step[] Steps =
    [
        // 1: revoked sessions, preferences, audit log.
        new(
            """
            CREATE TABLE revoked_sessions (
                session_id TEXT PRIMARY KEY,
                expires_at {int} NOT NULL
            ){without rowid};
            CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);
            CREATE TABLE preferences (
                username TEXT PRIMARY KEY,
                json TEXT NOT NULL,
                updated_at {int} NOT NULL
            ){without rowid};
            CREATE TABLE audit (
                id {id},
                time {int} NOT NULL,
                username TEXT NOT NULL,
                cluster TEXT NOT NULL,
                verb TEXT NOT NULL,
                resource TEXT NOT NULL,
                namespace TEXT,
                name TEXT,
                result TEXT NOT NULL
            );
            CREATE INDEX audit_user ON audit (username, id);
            CREATE INDEX audit_cluster ON audit (cluster, id);
            """),

        // 2: free-form details of an audit entry (JSON object of strings), e.g. kubecube's terminal fields.
        new("ALTER TABLE audit ADD COLUMN details TEXT;"),

        // 3: what other replicas must see: terminal recordings (index and bytes, appended in
        // chunks while the terminal runs) and kubecube shell session ids waiting for their bind.
        new(
            """
            CREATE TABLE recordings (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                cluster TEXT NOT NULL,
                namespace TEXT NOT NULL,
                pod TEXT NOT NULL,
                container TEXT NOT NULL,
                started_at {int} NOT NULL,
                ended_at {int},
                bytes {int} NOT NULL DEFAULT 0
            ){without rowid};
            CREATE TABLE recording_chunks (
                recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
                seq {int} NOT NULL,
                data {blob} NOT NULL,
                PRIMARY KEY (recording_id, seq)
            ){without rowid};
            CREATE TABLE shell_tickets (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                session_key TEXT,
                cluster TEXT NOT NULL,
                namespace TEXT NOT NULL,
                pod TEXT NOT NULL,
                container TEXT NOT NULL,
                command TEXT,
                audit TEXT NOT NULL,
                expires_at {int} NOT NULL
            ){without rowid};
            CREATE INDEX shell_tickets_expiry ON shell_tickets (expires_at);
            """),

        // 4: failed local sign-ins per (user, client address), so the lockout holds across replicas.
        new(
            """
            CREATE TABLE login_failures (
                username TEXT NOT NULL,
                ip TEXT NOT NULL,
                window_start {int} NOT NULL,
                failures {int} NOT NULL,
                PRIMARY KEY (username, ip)
            ){without rowid};
            """),
    ];

    public static void Apply(DbConnection connection, StoreDialect dialect)
    {
        if (dialect.MigrationLock is { } take)
        {
            Execute(connection, null, take);
        }

        try
        {
            Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL);");
            var version = CurrentVersion(connection);
            if (version > Steps.Length)
            {
                throw new InvalidOperationException($"the database ({dialect.Description}) has schema version {version}, newer than this Porthole ({Steps.Length}); use a newer Porthole or another database");
            }

            for (var step = (int)version; step < Steps.Length; step++)
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, transaction, dialect.Migration(Steps[step]));
                Execute(connection, transaction, $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({step + 1});");
                transaction.Commit();
            }
        }
        finally
        {
            if (dialect.MigrationUnlock is { } release)
            {
                Execute(connection, null, release);
            }
        }
    }

    public static long CurrentVersion(DbConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        return Convert.ToInt64(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
