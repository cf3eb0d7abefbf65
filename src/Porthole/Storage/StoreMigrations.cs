using Microsoft.Data.Sqlite;

namespace Porthole.Storage;

/// <summary>
/// Schema migrations, applied in order at open; each runs in its own transaction together with
/// the version bump, so a crash leaves the schema at a whole version. Append, never edit.
/// </summary>
internal static class StoreMigrations
{
    private static readonly string[] Steps =
    [
        // 1: revoked sessions, preferences, audit log.
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

        // 2: free-form details of an audit entry (JSON object of strings), e.g. kubecube's terminal fields.
        """
        ALTER TABLE audit ADD COLUMN details TEXT;
        """,
    ];

    public static void Apply(SqliteConnection connection)
    {
        using (var create = PortholeStore.Command(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"))
        {
            create.ExecuteNonQuery();
        }

        var version = CurrentVersion(connection);
        if (version > Steps.Length)
        {
            throw new InvalidOperationException($"porthole.db has schema version {version}, newer than this Porthole ({Steps.Length}); use a newer Porthole or another PORTHOLE_DATA_DIR");
        }

        for (var step = version; step < Steps.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            using (var migrate = PortholeStore.Command(connection, Steps[step]))
            {
                migrate.Transaction = transaction;
                migrate.ExecuteNonQuery();
            }

            using (var bump = PortholeStore.Command(connection, "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ($v);", ("$v", step + 1)))
            {
                bump.Transaction = transaction;
                bump.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public static long CurrentVersion(SqliteConnection connection)
    {
        using var read = PortholeStore.Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;");
        return (long)read.ExecuteScalar()!;
    }
}
