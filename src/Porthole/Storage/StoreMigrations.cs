using System.Data.Common;

namespace Porthole.Storage;

/// <summary>
/// Schema migrations, the same steps for both providers (each written in both dialects where
/// their DDL differs), applied in order at open; each runs in its own transaction together with
/// the version bump, so a crash leaves the schema at a whole version. PostgreSQL takes an
/// advisory lock around them, so replicas starting together migrate once. Append, never edit.
/// </summary>
internal static class StoreMigrations
{
    /// <summary>One migration step in both dialects.</summary>
    public sealed record Step(string Sqlite, string Postgres)
    {
        public Step(string both)
            : this(both, both)
        {
        }
    }

    internal static readonly Step[] Steps =
    [
        // 1: revoked sessions, preferences, audit log.
        new(
            """
            CREATE TABLE revoked_sessions (
                session_id TEXT PRIMARY KEY,
                expires_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);
            CREATE TABLE preferences (
                username TEXT PRIMARY KEY,
                json TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time INTEGER NOT NULL,
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
            """,
            """
            CREATE TABLE revoked_sessions (
                session_id TEXT PRIMARY KEY,
                expires_at BIGINT NOT NULL
            );
            CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);
            CREATE TABLE preferences (
                username TEXT PRIMARY KEY,
                json TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE TABLE audit (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time BIGINT NOT NULL,
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
                started_at INTEGER NOT NULL,
                ended_at INTEGER,
                bytes INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE TABLE recording_chunks (
                recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (recording_id, seq)
            ) WITHOUT ROWID;
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
                expires_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX shell_tickets_expiry ON shell_tickets (expires_at);
            """,
            """
            CREATE TABLE recordings (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                cluster TEXT NOT NULL,
                namespace TEXT NOT NULL,
                pod TEXT NOT NULL,
                container TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                ended_at BIGINT,
                bytes BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE recording_chunks (
                recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
                seq BIGINT NOT NULL,
                data BYTEA NOT NULL,
                PRIMARY KEY (recording_id, seq)
            );
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
                expires_at BIGINT NOT NULL
            );
            CREATE INDEX shell_tickets_expiry ON shell_tickets (expires_at);
            """),

        // 4: failed local sign-ins per (user, client address), so the lockout holds across replicas.
        new(
            """
            CREATE TABLE login_failures (
                username TEXT NOT NULL,
                ip TEXT NOT NULL,
                window_start INTEGER NOT NULL,
                failures INTEGER NOT NULL,
                PRIMARY KEY (username, ip)
            ) WITHOUT ROWID;
            """,
            """
            CREATE TABLE login_failures (
                username TEXT NOT NULL,
                ip TEXT NOT NULL,
                window_start BIGINT NOT NULL,
                failures BIGINT NOT NULL,
                PRIMARY KEY (username, ip)
            );
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
