using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Storage;
using Porthole.Tests.Auth;

namespace Porthole.Tests.Storage;

public sealed class AuditApiTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<PortholeTestHost> StartWithEntriesAsync()
    {
        var host = await PortholeTestHost.StartAsync(options: LocalUsersFile.Options(_dir.Path));
        var audit = host.App.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 7; i++)
        {
            audit.RecordKubernetesCall(i < 5 ? "alice" : "bob", "prod", i % 2 == 0 ? "POST" : "DELETE", "team-a", "configmaps", $"cm-{i}", i == 3 ? 403 : 201);
        }

        audit.Record(new AuditEntry("alice", "prod", "exec", "pods/exec", "team-a", "web-0", "exit 0"));
        return host;
    }

    [Fact]
    public async Task Get_NotInAdminGroup_403()
    {
        await using var host = await StartWithEntriesAsync();
        using var alice = new AuthTestClient(host.Url);
        using var login = await alice.LoginAsync("alice", "alice-password");

        using var audit = await alice.Http.GetAsync("/api/v1/audit");

        await ProblemJson.AssertProblemAsync(audit, 403, "forbidden");
    }

    [Fact]
    public async Task Get_AdminFilteredAndPaged_NewestFirst()
    {
        await using var host = await StartWithEntriesAsync();
        using var root = new AuthTestClient(host.Url);
        using var login = await root.LoginAsync("root", "admin-password");

        var page1 = await root.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?user=alice&limit=4");
        var page2 = await root.Http.GetFromJsonAsync<JsonElement>($"/api/v1/audit?user=alice&limit=4&continue={page1.GetProperty("continue").GetString()}");
        var denied = await root.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?result=denied");

        string[] Names(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString() ?? "")];
        Assert.Equal(["web-0", "cm-4", "cm-3", "cm-2"], Names(page1));
        Assert.Equal(["cm-1", "cm-0"], Names(page2));
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("continue").ValueKind);
        var entry = Assert.Single(denied.GetProperty("items").EnumerateArray());
        Assert.Equal(("alice", "prod", "delete", "configmaps", "cm-3"), (entry.GetProperty("user").GetString(), entry.GetProperty("cluster").GetString(),
            entry.GetProperty("verb").GetString(), entry.GetProperty("resource").GetString(), entry.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.String, entry.GetProperty("time").ValueKind);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=5000")]
    [InlineData("since=yesterday")]
    [InlineData("continue=abc")]
    public async Task Get_BadQuery_400(string query)
    {
        await using var host = await StartWithEntriesAsync();
        using var root = new AuthTestClient(host.Url);
        using var login = await root.LoginAsync("root", "admin-password");

        using var audit = await root.Http.GetAsync($"/api/v1/audit?{query}");

        await ProblemJson.AssertProblemAsync(audit, 400, "bad_request");
    }
}
