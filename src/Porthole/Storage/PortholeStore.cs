using Microsoft.Data.Sqlite;
using Porthole.Hosting;

namespace Porthole.Storage;

/// <summary>
/// Porthole's SQLite store at {dataDir}/porthole.db (WAL): revoked sessions, preferences and
/// the audit log. Each operation takes a pooled connection; the schema is migrated at open.
/// Disposing checkpoints the WAL into the database file and closes every pooled connection.
/// </summary>
public sealed partial class PortholeStore : IDisposable
{
    private readonly string _connectionString;
    private bool _disposed;

    private PortholeStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating and migrating as needed) the store in <paramref name="dataDir"/>.</summary>
    public static PortholeStore Open(string dataDir)
    {
        DataDirectory.Ensure(dataDir);
        var store = new PortholeStore(System.IO.Path.Combine(dataDir, "porthole.db"));
        using var connection = store.Connect();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        StoreMigrations.Apply(connection);
        return store;
    }

    /// <summary>The schema version after migration.</summary>
    public long SchemaVersion()
    {
        using var connection = Connect();
        return StoreMigrations.CurrentVersion(connection);
    }

    internal SqliteConnection Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        using (var connection = Connect())
        using (var checkpoint = Command(connection, "PRAGMA wal_checkpoint(TRUNCATE);"))
        {
            checkpoint.ExecuteNonQuery();
        }

        _disposed = true;
        using var last = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(last);
    }
}
