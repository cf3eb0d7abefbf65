using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Porthole.Storage;

namespace Porthole.Tests.Storage;

public sealed class PortholeStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_NewDataDir_WalAndLatestSchemaAndReopenKeepsData()
    {
        var dataDir = Path.Combine(_dir.Path, "nested", "data");
        using (var store = PortholeStore.Open(dataDir))
        {
            Assert.Equal(2, store.SchemaVersion());
            store.UpdatePreferences("alice", new JsonObject { ["theme"] = "dark" }, Now);
            using var connection = new SqliteConnection($"Data Source={store.Path};Pooling=False");
            connection.Open();
            using var mode = connection.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", mode.ExecuteScalar());
        }

        Assert.False(File.Exists(Path.Combine(dataDir, "porthole.db-wal")) && new FileInfo(Path.Combine(dataDir, "porthole.db-wal")).Length > 0);
        using var reopened = PortholeStore.Open(dataDir);
        Assert.Equal(2, reopened.SchemaVersion());
        Assert.Equal("dark", reopened.Preferences("alice")["theme"]!.GetValue<string>());
    }

    [Fact]
    public void PruneRevokedSessions_OnlyExpiredRemoved()
    {
        using var store = PortholeStore.Open(_dir.Path);
        var expired = Guid.NewGuid();
        var live = Guid.NewGuid();
        store.Revoke(expired, Now.AddMinutes(-1));
        store.Revoke(live, Now.AddHours(1));

        Assert.Equal([live], store.RevokedSessions(Now));
        Assert.Equal(1, store.PruneRevokedSessions(Now));
        Assert.Equal(0, store.PruneRevokedSessions(Now));
        Assert.Equal([live], store.RevokedSessions(Now));
    }

    [Fact]
    public void UpdatePreferences_PartialChanges_OtherFieldsAndUsersKept()
    {
        using var store = PortholeStore.Open(_dir.Path);
        store.UpdatePreferences("alice", new JsonObject { ["theme"] = "dark", ["pageSize"] = 100 }, Now);
        store.UpdatePreferences("bob", new JsonObject { ["theme"] = "light" }, Now);

        var alice = store.UpdatePreferences("alice", new JsonObject { ["pageSize"] = 20, ["theme"] = null }, Now);

        Assert.Equal("""{"pageSize":20}""", alice.ToJsonString());
        Assert.Equal("""{"theme":"light"}""", store.Preferences("bob").ToJsonString());
        Assert.Empty(store.Preferences("carol"));
    }

    [Fact]
    public void QueryAudit_FiltersAndPages_NewestFirstWithoutGapsOrRepeats()
    {
        using var store = PortholeStore.Open(_dir.Path);
        for (var i = 0; i < 25; i++)
        {
            store.RecordAudit(new AuditEntry(i % 2 == 0 ? "alice" : "bob", "prod", i % 5 == 0 ? "delete" : "patch", "deployments", "team-a", $"web-{i}", "success"), Now.AddSeconds(i));
        }

        var seen = new List<string?>();
        long? next = null;
        do
        {
            var page = store.QueryAudit(new AuditQuery { User = "alice", Limit = 4, Before = next });
            Assert.True(page.Items.Count <= 4);
            seen.AddRange(page.Items.Select(e => e.Name));
            next = page.Continue;
        }
        while (next is not null);

        Assert.Equal(Enumerable.Range(0, 25).Where(i => i % 2 == 0).Reverse().Select(i => $"web-{i}"), seen);
        var deletes = store.QueryAudit(new AuditQuery { Verb = "delete", Since = Now.AddSeconds(5), Until = Now.AddSeconds(20) });
        Assert.Equal(["web-15", "web-10", "web-5"], deletes.Items.Select(e => e.Name));
        Assert.Equal(Now.AddSeconds(15), deletes.Items[0].Time);
        Assert.Null(deletes.Continue);
    }

    [Fact]
    public void RecordAudit_WithDetails_QueryReturnsThem()
    {
        using var store = PortholeStore.Open(_dir.Path);
        var details = new Dictionary<string, string> { ["container"] = "nginx", ["webuser"] = "kc-admin" };

        store.RecordAudit(new AuditEntry("alice", "prod", "exec", "pods/exec", "default", "web-1", "exit 0") { Details = details }, Now);
        store.RecordAudit(new AuditEntry("alice", "prod", "patch", "deployments", "default", "web", "success"), Now);

        var items = store.QueryAudit(new AuditQuery()).Items;
        Assert.Null(items[0].Details);
        Assert.Equal(details, items[1].Details);
    }
}
