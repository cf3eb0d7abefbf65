using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Porthole.Storage.Sqlite;

/// <summary>SQLite at {dataDir}/porthole.db (WAL): one process owns it.</summary>
internal sealed class SqliteDialect : StoreDialect
{
    private readonly string _connectionString;

    public SqliteDialect(string path)
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
        DataSource = SqliteFactory.Instance.CreateDataSource(_connectionString);
    }

    public string Path { get; }

    public override string Name => "sqlite";

    public override string Description => Path;

    public override bool Shared => false;

    public override DbDataSource DataSource { get; }

    public override string? OpenSql => "PRAGMA journal_mode=WAL;";

    public override async Task OnOpenAsync(DbConnection connection, CancellationToken ct)
    {
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        await pragmas.ExecuteNonQueryAsync(ct);
    }

    protected override string IntType => "INTEGER";

    protected override string BlobType => "BLOB";

    protected override string IdColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    protected override string WithoutRowId => " WITHOUT ROWID";

    public override string JsonText(string column, string key) => $"json_extract({column}, '$.{key}')";

    /// <summary>Busy or locked past the timeout, I/O errors, a full disk, a file that cannot be opened or written.</summary>
    public override bool IsUnavailable(Exception exception) => exception switch
    {
        SqliteException e => e.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14,
        IOException or UnauthorizedAccessException => true,
        _ => false,
    };

    public override void Dispose()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        finally
        {
            DataSource.Dispose();
            using var last = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(last);
        }
    }
}
