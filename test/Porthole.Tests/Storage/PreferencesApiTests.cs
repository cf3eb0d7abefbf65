using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Porthole.Tests.Auth;

namespace Porthole.Tests.Storage;

public sealed class PreferencesApiTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<PortholeTestHost> StartAsync() => PortholeTestHost.StartAsync(options: LocalUsersFile.Options(_dir.Path));

    [Fact]
    public async Task Get_NothingStored_Defaults()
    {
        await using var host = await StartAsync();
        using var alice = new AuthTestClient(host.Url);
        using var login = await alice.LoginAsync("alice", "alice-password");

        var prefs = await alice.Http.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences");

        Assert.Equal("""{"theme":"system","defaultNamespace":null,"defaultCluster":null,"namespaces":[],"pageSize":50,"timeFormat":"relative","favourites":[]}""", prefs.GetRawText());
    }

    [Fact]
    public async Task Put_PartialFields_OnlyThoseChangedPerUserAndKeptAcrossRestart()
    {
        await using (var host = await StartAsync())
        {
            using var alice = new AuthTestClient(host.Url);
            using var root = new AuthTestClient(host.Url);
            using var l1 = await alice.LoginAsync("alice", "alice-password");
            using var l2 = await root.LoginAsync("root", "admin-password");

            using var first = await alice.Http.PutAsJsonAsync("/api/v1/me/preferences", new { theme = "dark", favourites = new[] { "deployments/team-a/web" }, namespaces = new[] { "team-a", "team-b" } });
            using var second = await alice.Http.PutAsJsonAsync("/api/v1/me/preferences", new { pageSize = 200 });
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            var prefs = await second.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("dark", prefs.GetProperty("theme").GetString());
            Assert.Equal(200, prefs.GetProperty("pageSize").GetInt32());
            Assert.Equal("deployments/team-a/web", prefs.GetProperty("favourites")[0].GetString());
            Assert.Equal(["team-a", "team-b"], prefs.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()));
            Assert.Equal("system", (await root.Http.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences")).GetProperty("theme").GetString());
        }

        await using var restarted = await StartAsync();
        using var again = new AuthTestClient(restarted.Url);
        using var l3 = await again.LoginAsync("alice", "alice-password");
        var kept = await again.Http.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences");
        Assert.Equal(("dark", 200), (kept.GetProperty("theme").GetString(), kept.GetProperty("pageSize").GetInt32()));
    }

    [Theory]
    [InlineData("""{"theme":"purple"}""")]
    [InlineData("""{"pageSize":5}""")]
    [InlineData("""{"pageSize":"many"}""")]
    [InlineData("""{"favourites":"web"}""")]
    [InlineData("""{"namespaces":["team-a",""]}""")]
    [InlineData("""{"namespaces":"team-a"}""")]
    [InlineData("""{"colour":"red"}""")]
    [InlineData("""{"theme":"dark","timeFormat":"sundial"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{not json""")]
    public async Task Put_InvalidField_400AndNothingChanged(string body)
    {
        await using var host = await StartAsync();
        using var alice = new AuthTestClient(host.Url);
        using var login = await alice.LoginAsync("alice", "alice-password");

        using var put = await alice.Http.PutAsync("/api/v1/me/preferences", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ProblemJson.AssertProblemAsync(put, 400, "bad_request");
        Assert.Equal("system", (await alice.Http.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences")).GetProperty("theme").GetString());
    }
}
