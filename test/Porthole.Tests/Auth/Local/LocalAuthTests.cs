using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Porthole.Auth.Local;
using Porthole.Auth.Sessions;
using Porthole.Hosting;

namespace Porthole.Tests.Auth.Local;

public sealed class LocalAuthTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private PortholeOptions Options() => LocalUsersFile.Options(_dir.Path);

    /// <summary>Signs alice in on a Porthole started with <paramref name="options"/> (and signs out if asked); returns her cookie.</summary>
    private static async Task<string> AliceCookieAsync(PortholeOptions options, bool logout)
    {
        await using var host = await PortholeTestHost.StartAsync(options: options);
        using var client = new AuthTestClient(host.Url);
        using var login = await client.LoginAsync("alice", "alice-password");
        var cookie = client.Cookies.GetCookies(host.Url)[SessionCookies.Name]!.Value;
        if (logout)
        {
            using var signedOut = await client.Http.PostAsync("/api/v1/auth/logout", null);
            Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        }

        return cookie;
    }

    [Fact]
    public async Task Login_RightPassword_HttpOnlyStrictCookieAndMe()
    {
        await using var host = await PortholeTestHost.StartAsync(options: Options());
        using var client = new AuthTestClient(host.Url);

        using var login = await client.LoginAsync("alice", "alice-password");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(SessionCookies.Name + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        var me = await client.Http.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        Assert.Equal("alice", me.GetProperty("user").GetString());
        Assert.Equal(["team-a", "devs"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal("local", me.GetProperty("mode").GetString());
        Assert.False(me.GetProperty("admin").GetBoolean());
        Assert.False(me.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task Me_MemberOfAdminGroupOnReadOnlyServer_AdminAndReadOnly()
    {
        await using var host = await PortholeTestHost.StartAsync(options: Options() with { AdminGroup = "devs", ReadOnly = true });
        using var client = new AuthTestClient(host.Url);

        using var login = await client.LoginAsync("alice", "alice-password");

        var answer = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("admin").GetBoolean());
        var me = await client.Http.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        Assert.True(me.GetProperty("admin").GetBoolean());
        Assert.True(me.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task Api_NoCookieOrForgedCookie_401()
    {
        await using var host = await PortholeTestHost.StartAsync(options: Options());
        using var client = new AuthTestClient(host.Url);

        using var anonymous = await client.Http.GetAsync("/api/v1/auth/me");
        var problem = await ProblemJson.AssertProblemAsync(anonymous, 401, "unauthenticated");
        Assert.Equal("local", problem.GetProperty("authMode").GetString());

        client.Cookies.Add(host.Url, new Cookie(SessionCookies.Name, "eyJzaWQiOiJ4In0.AAAA"));
        using var forged = await client.Http.GetAsync("/api/v1/me/preferences");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        using var health = await client.Http.GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Login_WrongPasswordOrUnknownUser_SameAnswer()
    {
        await using var host = await PortholeTestHost.StartAsync(options: Options());
        using var client = new AuthTestClient(host.Url);

        using var wrong = await client.LoginAsync("alice", "nope");
        using var unknown = await client.LoginAsync("mallory", "nope");

        var a = await ProblemJson.AssertProblemAsync(wrong, 401, "invalid_credentials");
        var b = await ProblemJson.AssertProblemAsync(unknown, 401, "invalid_credentials");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Login_WithoutXRequestedWith_403()
    {
        await using var host = await PortholeTestHost.StartAsync(options: Options());
        using var client = host.Client();

        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "alice", password = "alice-password" });

        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
    }

    [Fact]
    public async Task Login_FiveFailures_SixthThrottledEvenWithRightPasswordOtherUserUnaffected()
    {
        await using var host = await PortholeTestHost.StartAsync(options: Options());
        using var client = new AuthTestClient(host.Url);

        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            using var failed = await client.LoginAsync("alice", $"guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var throttled = await client.LoginAsync("alice", "alice-password");
        await ProblemJson.AssertProblemAsync(throttled, 429, "login_throttled");
        var retryAfter = int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, (int)LoginThrottle.Window.TotalSeconds);

        using var other = await client.LoginAsync("root", "admin-password");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Logout_ThenRestartWithSameDataDir_OldCookieStillRejected()
    {
        var options = Options();
        var cookie = await AliceCookieAsync(options, logout: true);

        await using var restarted = await PortholeTestHost.StartAsync(options: options);
        using var replay = new AuthTestClient(restarted.Url);
        replay.Cookies.Add(restarted.Url, new Cookie(SessionCookies.Name, cookie));

        using var me = await replay.Http.GetAsync("/api/v1/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Contains(restarted.Logs.Lines, l => l.Message.Contains("Session cookie rejected: Revoked", StringComparison.Ordinal));

        using var fresh = new AuthTestClient(restarted.Url);
        using var login2 = await fresh.LoginAsync("alice", "alice-password");
        Assert.Equal(HttpStatusCode.OK, (await fresh.Http.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Restart_SameDataDir_GeneratedSecretKeepsSessionsValid()
    {
        var options = Options();
        var cookie = await AliceCookieAsync(options, logout: false);

        await using var restarted = await PortholeTestHost.StartAsync(options: options);
        using var again = new AuthTestClient(restarted.Url);
        again.Cookies.Add(restarted.Url, new Cookie(SessionCookies.Name, cookie));
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task SwitchContext_OneSession_OtherSessionsOfTheUserUnaffected()
    {
        var kubeconfig = Path.Combine(_dir.Path, "two.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - {name: c1, cluster: {server: "https://127.0.0.1:1"}}
            users:
            - {name: u, user: {token: t}}
            contexts:
            - {name: one, context: {cluster: c1, user: u}}
            - {name: two, context: {cluster: c1, user: u}}
            current-context: one
            """);
        await using var host = await PortholeTestHost.StartAsync(options: Options() with { Kubeconfig = kubeconfig });
        using var laptop = new AuthTestClient(host.Url);
        using var phone = new AuthTestClient(host.Url);
        using var l1 = await laptop.LoginAsync("alice", "alice-password");
        using var l2 = await phone.LoginAsync("alice", "alice-password");

        using var switched = await laptop.Http.PutAsJsonAsync("/api/v1/auth/context", new { cluster = "two" });
        using var unknown = await laptop.Http.PutAsJsonAsync("/api/v1/auth/context", new { cluster = "three" });

        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        await ProblemJson.AssertProblemAsync(unknown, 404, "unknown_cluster");
        Assert.Equal("two", (await laptop.Http.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("cluster").GetString());
        Assert.Equal("one", (await phone.Http.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("cluster").GetString());
    }
}
