using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace Porthole.Storage.Postgres;

/// <summary>
/// PostgreSQL through Npgsql: shared by every replica. Revocations are announced with
/// <c>NOTIFY porthole_revoked</c> in the transaction that stores them; <see cref="ListenAsync"/>
/// hears them on a connection of its own.
/// </summary>
internal sealed class PostgresDialect : StoreDialect
{
    public const string RevokedChannel = "porthole_revoked";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(NpgsqlConnectionStringBuilder settings)
    {
        Description = PostgresConnectionString.Describe(settings);
        _dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
    }

    public override string Name => "postgresql";

    public override string Description { get; }

    public override bool Shared => true;

    public override DbDataSource DataSource => _dataSource;

    protected override string IntType => "BIGINT";

    protected override string BlobType => "BYTEA";

    protected override string IdColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    // Any 64-bit number, the same in every replica: "porthole" in ASCII.
    public override string MigrationLock => "SELECT pg_advisory_lock(8099431945186436197);";

    public override string MigrationUnlock => "SELECT pg_advisory_unlock(8099431945186436197);";

    public override string JsonText(string column, string key) => $"({column}::jsonb ->> '{key}')";

    public override string ForUpdate => " FOR UPDATE";

    public override string AfterRevoke => $"SELECT pg_notify('{RevokedChannel}', @id || ' ' || CAST(@exp AS text));";

    /// <summary>
    /// No connection, a broken one, a timeout, or the server refusing work for now: connection
    /// exceptions (08), insufficient resources (53), operator intervention such as a shutdown (57P).
    /// A statement the server rejects (syntax, constraint) is a bug, not unavailability.
    /// </summary>
    public override bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException p => p.IsTransient || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException or TimeoutException or SocketException or IOException => true,
        InvalidOperationException when exception.InnerException is { } inner => IsUnavailable(inner),
        _ => false,
    };

    /// <summary>Drops idle pooled connections: after a restart of the server they are all broken.</summary>
    public override void OnDown() => _dataSource.Clear();

    /// <summary>
    /// LISTENs on <see cref="RevokedChannel"/> on a dedicated connection: <paramref name="listening"/>
    /// runs once the LISTEN is in place (resync there: nothing revoked from then on is missed),
    /// <paramref name="revoked"/> for each announcement, <paramref name="idle"/> after each
    /// <paramref name="resync"/> without one. Returns only by throwing (connection lost, or cancelled).
    /// </summary>
    public async Task ListenAsync(Func<CancellationToken, Task> listening, Action<string> revoked, Func<CancellationToken, Task> idle, TimeSpan resync, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        connection.Notification += (_, e) =>
        {
            if (e.Channel == RevokedChannel)
            {
                revoked(e.Payload);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {RevokedChannel};", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        await listening(ct);
        while (true)
        {
            if (!await connection.WaitAsync(resync, ct))
            {
                await idle(ct);
            }
        }
    }

    public override void Dispose() => _dataSource.Dispose();
}
