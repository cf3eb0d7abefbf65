using System.Data.Common;

namespace Porthole.Storage;

/// <summary>
/// What differs between the two providers of <see cref="PortholeStore"/>: how connections are
/// made, a few SQL fragments, which failures mean "the database is unavailable" (as opposed to
/// a bug), and how other replicas hear of a revocation. Everything else is shared SQL.
/// </summary>
internal abstract class StoreDialect : IDisposable
{
    /// <summary><c>sqlite</c> or <c>postgresql</c> (the metrics' and logs' label).</summary>
    public abstract string Name { get; }

    /// <summary>Where the data lives, without any credential: a file, or host:port/database.</summary>
    public abstract string Description { get; }

    /// <summary>True when other processes may share the database (so revocations must be listened for).</summary>
    public abstract bool Shared { get; }

    public abstract DbDataSource DataSource { get; }

    /// <summary>Run once when the store opens, before the migrations (SQLite's WAL mode), or null.</summary>
    public virtual string? OpenSql => null;

    /// <summary>Runs after a connection is opened (SQLite's pragmas).</summary>
    public virtual Task OnOpenAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The DDL of one migration step in this dialect: its placeholders filled in.</summary>
    public string Migration(StoreMigrations.Step step) => step.Ddl
        .Replace("{int}", IntType, StringComparison.Ordinal).Replace("{blob}", BlobType, StringComparison.Ordinal)
        .Replace("{id}", IdColumn, StringComparison.Ordinal).Replace("{without rowid}", WithoutRowId, StringComparison.Ordinal);

    /// <summary>A 64-bit integer column type.</summary>
    protected abstract string IntType { get; }

    protected abstract string BlobType { get; }

    /// <summary>An ascending 64-bit primary key assigned by the database.</summary>
    protected abstract string IdColumn { get; }

    /// <summary>SQLite's table option for tables keyed by their primary key; empty elsewhere.</summary>
    protected virtual string WithoutRowId => "";

    /// <summary>SQL that takes the migration lock (so two replicas starting at once migrate one after the other), or null.</summary>
    public virtual string? MigrationLock => null;

    /// <summary>SQL that releases <see cref="MigrationLock"/>, or null.</summary>
    public virtual string? MigrationUnlock => null;

    /// <summary>The text of key <paramref name="key"/> of the JSON object in <paramref name="column"/>.</summary>
    public abstract string JsonText(string column, string key);

    /// <summary>Appended to a SELECT that reads a row the transaction will rewrite (PostgreSQL: row lock); empty where the transaction already locks the database.</summary>
    public virtual string ForUpdate => "";

    /// <summary>Statements run after a revocation is inserted, in the same command (parameters @id, @exp), or empty.</summary>
    public virtual string AfterRevoke => "";

    /// <summary>True when <paramref name="exception"/> says the database cannot be reached or used now (not a bug in a statement).</summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>Called when the store goes down: drops idle pooled connections, which a server restart leaves broken.</summary>
    public virtual void OnDown()
    {
    }

    /// <summary>Closes every pooled connection (SQLite first folds its WAL into the file).</summary>
    public abstract void Dispose();
}
