using System.Text;
using System.Text.Json.Nodes;
using Porthole.Storage;

namespace Porthole.Tests.Storage;

/// <summary>
/// The store's contract, run against both providers (<see cref="SqliteStoreTests"/>,
/// <see cref="Postgres.PostgresStoreTests"/>): the same migrations, the same answers.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<PortholeStore> _opened = [];

    protected TempDir Dir { get; } = new();

    /// <summary>PORTHOLE_DATABASE_URL of this provider's database (null: SQLite in <see cref="Dir"/>).</summary>
    protected abstract string? DatabaseUrl { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        Dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Opens (another handle on) this test's database.</summary>
    protected PortholeStore Open()
    {
        var store = PortholeStore.Open(Dir.Path, DatabaseUrl, TimeProvider.System);
        _opened.Add(store);
        return store;
    }

    [Fact]
    public async Task Open_NewDatabase_LatestSchemaAndReopenKeepsData()
    {
        var store = Open();
        Assert.Equal(StoreMigrations.Steps.Length, await store.SchemaVersionAsync());
        await store.UpdatePreferencesAsync("alice", new JsonObject { ["theme"] = "dark" }, Now);
        store.Dispose();

        var reopened = Open();
        Assert.Equal(StoreMigrations.Steps.Length, await reopened.SchemaVersionAsync());
        Assert.Equal("dark", (await reopened.PreferencesAsync("alice"))["theme"]!.GetValue<string>());
        Assert.True(reopened.Health.Available);
    }

    [Fact]
    public async Task Open_SeveralAtOnce_MigrateOnceAndAllWork()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Open)));

        foreach (var store in stores)
        {
            Assert.Equal(StoreMigrations.Steps.Length, await store.SchemaVersionAsync());
        }

        await stores[0].RevokeAsync(Guid.NewGuid(), Now.AddHours(1));
        Assert.Single(await stores[3].RevokedSessionsAsync(Now));
    }

    [Fact]
    public async Task PruneRevokedSessions_OnlyExpiredRemoved()
    {
        var store = Open();
        var expired = Guid.NewGuid();
        var live = Guid.NewGuid();
        await store.RevokeAsync(expired, Now.AddMinutes(-1));
        await store.RevokeAsync(live, Now.AddHours(1));
        await store.RevokeAsync(live, Now.AddHours(1)); // twice: no error

        Assert.Equal([new RevokedSession(live, Now.AddHours(1).ToUnixTimeSeconds())], await store.RevokedSessionsAsync(Now));
        Assert.Equal(1, await store.PruneRevokedSessionsAsync(Now));
        Assert.Equal(0, await store.PruneRevokedSessionsAsync(Now));
        Assert.Equal([live], (await store.RevokedSessionsAsync(Now)).Select(r => r.Id));
    }

    [Fact]
    public async Task UpdatePreferences_PartialChanges_OtherFieldsAndUsersKept()
    {
        var store = Open();
        await store.UpdatePreferencesAsync("alice", new JsonObject { ["theme"] = "dark", ["pageSize"] = 100 }, Now);
        await store.UpdatePreferencesAsync("bob", new JsonObject { ["theme"] = "light" }, Now);

        var alice = await store.UpdatePreferencesAsync("alice", new JsonObject { ["pageSize"] = 20, ["theme"] = null }, Now);

        Assert.Equal("""{"pageSize":20}""", alice.ToJsonString());
        Assert.Equal("""{"theme":"light"}""", (await store.PreferencesAsync("bob")).ToJsonString());
        Assert.Empty(await store.PreferencesAsync("carol"));
    }

    [Fact]
    public async Task UpdatePreferences_ManyWritersOfDifferentFields_NoChangeLost()
    {
        var writers = new[] { Open(), Open() };
        var fields = Enumerable.Range(0, 20).Select(i => $"f{i}").ToArray();

        await Task.WhenAll(fields.Select((field, i) => Task.Run(() => writers[i % 2].UpdatePreferencesAsync("alice", new JsonObject { [field] = i }, Now))));

        var stored = await writers[0].PreferencesAsync("alice");
        Assert.Equal(fields.Order(), stored.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task QueryAudit_FiltersAndPages_NewestFirstWithoutGapsOrRepeats()
    {
        var store = Open();
        for (var i = 0; i < 25; i++)
        {
            await store.RecordAuditAsync(new AuditEntry(i % 2 == 0 ? "alice" : "bob", "prod", i % 5 == 0 ? "delete" : "patch", "deployments", "team-a", $"web-{i}", "success"), Now.AddSeconds(i));
        }

        var seen = new List<string?>();
        long? next = null;
        do
        {
            var page = await store.QueryAuditAsync(new AuditQuery { User = "alice", Limit = 4, Before = next });
            Assert.True(page.Items.Count <= 4);
            seen.AddRange(page.Items.Select(e => e.Name));
            next = page.Continue;
        }
        while (next is not null);

        Assert.Equal(Enumerable.Range(0, 25).Where(i => i % 2 == 0).Reverse().Select(i => $"web-{i}"), seen);
        var deletes = await store.QueryAuditAsync(new AuditQuery { Verb = "delete", Since = Now.AddSeconds(5), Until = Now.AddSeconds(20) });
        Assert.Equal(["web-15", "web-10", "web-5"], deletes.Items.Select(e => e.Name));
        Assert.Equal(Now.AddSeconds(15), deletes.Items[0].Time);
        Assert.Null(deletes.Continue);
    }

    [Fact]
    public async Task RecordAudit_WithDetailsAndNulls_QueryReturnsThem()
    {
        var store = Open();
        var details = new Dictionary<string, string> { ["container"] = "nginx", ["webuser"] = "kc-admin" };

        var first = await store.RecordAuditAsync(new AuditEntry("alice", "prod", "exec", "pods/exec", "default", "web-1", "exit 0") { Details = details }, Now);
        await store.RecordAuditAsync(new AuditEntry("alice", "prod", "deletecollection", "nodes", null, null, "success"), Now);

        var items = (await store.QueryAuditAsync(new AuditQuery())).Items;
        Assert.Null(items[0].Details);
        Assert.Equal((null, null), (items[0].Namespace, items[0].Name));
        Assert.Equal(details, items[1].Details);
        Assert.Equal(first.Id, items[1].Id);
    }

    [Fact]
    public async Task RecordAuditBatch_InOrder_IdsAscend()
    {
        var store = Open();
        var entries = Enumerable.Range(0, 50).Select(i => new AuditEntry("alice", "prod", "patch", "deployments", "a", $"d-{i}", "success") { Time = Now.AddMilliseconds(i) }).ToList();

        await store.RecordAuditBatchAsync(entries);

        var page = await store.QueryAuditAsync(new AuditQuery { Limit = 1000 });
        Assert.Equal(entries.Select(e => e.Name).Reverse(), page.Items.Select(e => e.Name));
    }

    [Fact]
    public async Task Recording_AppendedChunks_ReadInOrderByAnyHandleWithOwner()
    {
        var writer = Open();
        var reader = Open();
        var id = Guid.NewGuid().ToString("N");
        await writer.StartRecordingAsync(new RecordingInfo(id, "alice", "prod", "default", "web-1", "nginx", Now));
        Assert.Equal("alice", await reader.RecordingOwnerAsync(id));
        Assert.True(await reader.ReadRecordingAsync(id, (_, _) => Task.CompletedTask)); // running, nothing written yet

        var lines = Enumerable.Range(0, 30).Select(i => $"[{i}.0, \"o\", \"line {i} é\"]\n").ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            await writer.AppendRecordingAsync(id, i, Encoding.UTF8.GetBytes(lines[i]));
        }

        await writer.EndRecordingAsync(id, Now.AddMinutes(1));
        var read = new MemoryStream();
        Assert.True(await reader.ReadRecordingAsync(id, (chunk, ct) => read.WriteAsync(chunk, ct).AsTask()));
        Assert.Equal(string.Concat(lines), Encoding.UTF8.GetString(read.ToArray()));
        Assert.False(await reader.ReadRecordingAsync(Guid.NewGuid().ToString("N"), (_, _) => throw new InvalidOperationException("no bytes for an unknown id")));
        Assert.Null(await reader.RecordingOwnerAsync(Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task RecordingOwner_OnlyAnAuditEntryNamesIt_TheAuditedUser()
    {
        var store = Open();
        var id = Guid.NewGuid().ToString("N");
        await store.RecordAuditAsync(new AuditEntry("bob", "prod", "exec", "pods/exec", "default", "web-1", "exit 0")
        {
            Details = new Dictionary<string, string> { ["recording"] = id + ".cast" },
        }, Now);

        Assert.Equal("bob", await store.RecordingOwnerAsync(id));
    }

    [Fact]
    public async Task ShellTicket_FoundByAnyHandle_DeletedExactlyOnce()
    {
        var issuer = Open();
        var binders = new[] { Open(), Open() };
        var row = new ShellTicketRow(Guid.NewGuid().ToString("N"), "alice", "s1", "prod", "default", "web-1", "nginx", "sealed", """{"WebUser":"w"}""", Now.AddSeconds(30).ToUnixTimeMilliseconds());
        await issuer.InsertShellTicketAsync(row);

        Assert.Equal(row, await binders[1].FindShellTicketAsync(row.Id));
        var deleted = await Task.WhenAll(binders.Select(b => b.DeleteShellTicketAsync(row.Id)));
        Assert.Equal(1, deleted.Count(d => d));
        Assert.Null(await issuer.FindShellTicketAsync(row.Id));
    }

    [Fact]
    public async Task PruneShellTickets_OnlyExpiredRemoved()
    {
        var store = Open();
        var old = new ShellTicketRow("a" + new string('0', 31), "alice", null, "prod", "default", "web-1", "nginx", null, "{}", Now.ToUnixTimeMilliseconds());
        await store.InsertShellTicketAsync(old);
        await store.InsertShellTicketAsync(old with { Id = "b" + new string('0', 31), ExpiresAt = Now.AddSeconds(1).ToUnixTimeMilliseconds() });

        Assert.Equal(1, await store.PruneShellTicketsAsync(Now));
        Assert.Null(await store.FindShellTicketAsync(old.Id));
        Assert.NotNull(await store.FindShellTicketAsync("b" + new string('0', 31)));
    }
    [Fact]
    public async Task LoginFailed_FromSeveralHandles_CountedTogetherAndWindowRestarts()
    {
        var replicas = new[] { Open(), Open() };
        var window = TimeSpan.FromMinutes(15);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => replicas[i % 2].LoginFailedAsync("ALICE", "10.0.0.1", Now.AddSeconds(i), window))));

        var counted = (await replicas[1].LoginFailuresAsync("ALICE", "10.0.0.1"))!.Value;
        Assert.Equal(6, counted.Count);
        Assert.InRange(counted.WindowStart, Now, Now.AddSeconds(5)); // the first writer's time
        Assert.Null(await replicas[0].LoginFailuresAsync("ALICE", "10.0.0.2"));
        await replicas[0].LoginFailedAsync("ALICE", "10.0.0.1", counted.WindowStart + window, window);
        Assert.Equal(new LoginFailures(counted.WindowStart + window, 1), await replicas[1].LoginFailuresAsync("ALICE", "10.0.0.1"));
        Assert.Equal(1, await replicas[0].PruneLoginFailuresAsync(counted.WindowStart + window + window, window));
        await replicas[0].LoginFailedAsync("BOB", "10.0.0.1", Now, window);
        await replicas[1].LoginSucceededAsync("BOB", "10.0.0.1");
        Assert.Null(await replicas[0].LoginFailuresAsync("BOB", "10.0.0.1"));
    }
}

public sealed class SqliteStoreTests : StoreContractTests
{
    protected override string? DatabaseUrl => null;

    [Fact]
    public async Task Open_NewDataDir_WalModeAndDescriptionIsTheFile()
    {
        var store = Open();
        Assert.Equal(("sqlite", Path.Combine(Dir.Path, "porthole.db")), (store.Provider, store.Description));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.Description};Pooling=False");
        await connection.OpenAsync();
        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await mode.ExecuteScalarAsync());
    }
}
