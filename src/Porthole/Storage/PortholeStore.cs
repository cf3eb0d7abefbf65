using System.Data.Common;
using Porthole.Storage.Postgres;
using Porthole.Storage.Sqlite;

namespace Porthole.Storage;

/// <summary>
/// Porthole's store: revoked sessions, preferences, the audit log, terminal recordings and
/// kubecube shell session ids. One contract, two providers: SQLite at {dataDir}/porthole.db
/// (the default; one process) or PostgreSQL (PORTHOLE_DATABASE_URL; shared by every replica),
/// with the same migrations and the same SQL except the few fragments of <see cref="StoreDialect"/>.
/// Each operation takes a pooled connection. A call that fails because the database is
/// unavailable throws <see cref="StoreUnavailableException"/> and marks <see cref="Health"/> down.
/// </summary>
public sealed partial class PortholeStore : IDisposable
{
    private readonly StoreDialect _dialect;
    private bool _disposed;

    private PortholeStore(StoreDialect dialect, TimeProvider time)
    {
        _dialect = dialect;
        Health = new StoreHealth(time);
        Health.Changed += up =>
        {
            if (!up)
            {
                _dialect.OnDown();
            }
        };
    }

    /// <summary><c>sqlite</c> or <c>postgresql</c>.</summary>
    public string Provider => _dialect.Name;

    /// <summary>The SQLite file, or host:port/database: never a credential.</summary>
    public string Description => _dialect.Description;

    /// <summary>True when other replicas share this database (PostgreSQL).</summary>
    public bool Shared => _dialect.Shared;

    public StoreHealth Health { get; }

    internal StoreDialect Dialect => _dialect;

    /// <summary>Opens (creating and migrating as needed) the SQLite store in <paramref name="dataDir"/>.</summary>
    public static PortholeStore Open(string dataDir) => Open(dataDir, null, TimeProvider.System);

    /// <summary>
    /// Opens the store: PostgreSQL when <paramref name="databaseUrl"/> is set, else SQLite in
    /// <paramref name="dataDir"/>; the schema is migrated. Throws <see cref="InvalidOperationException"/>
    /// naming PORTHOLE_DATABASE_URL (never its password) when the database cannot be reached.
    /// </summary>
    public static PortholeStore Open(string dataDir, string? databaseUrl, TimeProvider time)
    {
        DataDirectory.Ensure(dataDir);
        StoreDialect dialect = string.IsNullOrEmpty(databaseUrl)
            ? new SqliteDialect(System.IO.Path.Combine(dataDir, "porthole.db"))
            : new PostgresDialect(PostgresConnectionString.Parse(databaseUrl));
        var store = new PortholeStore(dialect, time);
        try
        {
            using var connection = dialect.DataSource.OpenConnection();
            if (dialect.OpenSql is { } sql)
            {
                using var command = Command(connection, sql);
                command.ExecuteNonQuery();
            }

            dialect.OnOpenAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
            StoreMigrations.Apply(connection, dialect);
            return store;
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            dialect.Dispose();
            throw new InvalidOperationException(
                $"{(databaseUrl is null ? "PORTHOLE_DATA_DIR" : "PORTHOLE_DATABASE_URL")}: cannot open the {dialect.Name} store at {dialect.Description}: {e.Message}", e);
        }
        catch
        {
            dialect.Dispose();
            throw;
        }
    }

    /// <summary>The schema version after migration.</summary>
    public Task<long> SchemaVersionAsync(CancellationToken ct = default) =>
        RunAsync("schema version", c => Task.FromResult(StoreMigrations.CurrentVersion(c)), ct);

    /// <summary>One round trip: throws <see cref="StoreUnavailableException"/> unless the database answers.</summary>
    public Task PingAsync(string what, CancellationToken ct = default) => RunAsync(what, async c =>
    {
        using var ping = Command(c, "SELECT 1;");
        return await ping.ExecuteScalarAsync(ct);
    }, ct);

    /// <summary>Runs <paramref name="action"/> on a pooled connection; unavailability becomes <see cref="StoreUnavailableException"/>.</summary>
    internal async Task<T> RunAsync<T>(string what, Func<DbConnection, Task<T>> action, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = await _dialect.DataSource.OpenConnectionAsync(ct);
            await _dialect.OnOpenAsync(connection, ct);
            var result = await action(connection);
            Health.MarkUp();
            return result;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && _dialect.IsUnavailable(e))
        {
            Health.MarkDown($"{e.GetType().Name}: {e.Message}");
            throw new StoreUnavailableException($"{what}: the {Provider} store at {Description} is unavailable: {e.Message}", e);
        }
    }

    internal static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _dialect.Dispose();
    }
}
