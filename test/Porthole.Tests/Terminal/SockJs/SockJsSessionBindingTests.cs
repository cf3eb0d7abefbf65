using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Storage;
using Porthole.Tests.Auth;

namespace Porthole.Tests.Terminal.SockJs;

/// <summary>
/// Auth mode local against the demo KubeSim (cluster sim-porthole impersonates the signed-in
/// user): a shell id binds only in the cookie session that asked for it, and SockJS sessions
/// are invisible to other sessions; a terminal's recording is readable by its user and admins only.
/// </summary>
public sealed class SockJsSessionBindingTests : IAsyncLifetime
{
    private const string Shell = "/api/v1/sim-porthole/namespace/default/pod/web-1/shell/nginx";
    private readonly TempDir _dir = new();
    private PortholeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var users = LocalUsersFile.Write(_dir.Path, ("ops1", "ops1-password", ["system:masters"]), ("ops2", "ops2-password", ["system:masters"]));
        _host = await PortholeTestHost.StartAsync(options: new PortholeOptions { Demo = true, DataDir = _dir.Path, AuthMode = AuthMode.Local, UsersFile = users });
        await _host.App.Services.GetRequiredService<ClusterRegistry>().WhenLoaded.WaitAsync(TimeSpan.FromMinutes(1));
        await TerminalPods.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<AuthTestClient> SignInAsync(string user, string? password = null)
    {
        var client = new AuthTestClient(_host.Url);
        using var login = await client.LoginAsync(user, password ?? user + "-password");
        Assert.True(login.IsSuccessStatusCode, $"login {user}: {login.StatusCode}");
        return client;
    }

    private static async Task<string> PollAsync(HttpClient http, string session)
    {
        using var response = await http.PostAsync($"/api/sockjs/000/{session}/xhr", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> BindAsync(HttpClient http, string id)
    {
        var session = Guid.NewGuid().ToString("N");
        Assert.Equal("o\n", await PollAsync(http, session));
        var bind = JsonSerializer.Serialize(new[] { $$"""{"Op":"bind","Data":"","SessionID":"{{id}}","Rows":24,"Cols":80}""" });
        using var sent = await http.PostAsync($"/api/sockjs/000/{session}/xhr_send", new StringContent(bind, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        return session;
    }

    private static async Task<string> NewIdAsync(HttpClient http)
    {
        using var response = await http.GetAsync(Shell);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Bind_OtherUsersSession_RefusedThenOwnerBindsAndIsAudited()
    {
        using var ops1 = await SignInAsync("ops1");
        using var ops2 = await SignInAsync("ops2");
        var id = await NewIdAsync(ops1.Http);

        var stolen = await BindAsync(ops2.Http, id);
        Assert.Equal("c[2,\"shell session id belongs to another session\"]\n", await PollAsync(ops2.Http, stolen));

        var own = await BindAsync(ops1.Http, id);
        Assert.StartsWith("a[\"{\\\"Op\\\":\\\"stdout\\\"", await PollAsync(ops1.Http, own), StringComparison.Ordinal);

        // ops2 cannot see or feed ops1's SockJS session.
        using (var poll = await ops2.Http.PostAsync($"/api/sockjs/000/{own}/xhr", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, poll.StatusCode);
        }

        using (var send = await ops2.Http.PostAsync($"/api/sockjs/000/{own}/xhr_send", new StringContent("[\"x\"]")))
        {
            Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);
        }

        var stdin = JsonSerializer.Serialize(new[] { """{"Op":"stdin","Data":"exit\r","SessionID":"","Rows":0,"Cols":0}""" });
        using (var exit = await ops1.Http.PostAsync($"/api/sockjs/000/{own}/xhr_send", new StringContent(stdin)))
        {
            Assert.Equal(HttpStatusCode.NoContent, exit.StatusCode);
        }

        string frame;
        do
        {
            frame = await PollAsync(ops1.Http, own);
        }
        while (!frame.StartsWith('c'));
        Assert.Equal("c[1,\"process exited\"]\n", frame);

        await _host.App.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);
        var entry = Assert.Single((await _host.App.Services.GetRequiredService<PortholeStore>().QueryAuditAsync(new AuditQuery { Verb = "exec" })).Items);
        Assert.Equal(("ops1", "sim-porthole", "pods/exec", "default", "web-1", "exit 0"), (entry.User, entry.Cluster, entry.Resource, entry.Namespace, entry.Name, entry.Result));
        Assert.Equal("nginx", entry.Details!["container"]);
    }

    [Fact]
    public async Task GetRecording_OwnerAndAdmin200_OtherUserUnknownAndPaths404()
    {
        using var ops1 = await SignInAsync("ops1");
        using var ops2 = await SignInAsync("ops2");
        using var root = await SignInAsync("root", "admin-password");
        var session = await BindAsync(ops1.Http, await NewIdAsync(ops1.Http));
        var stdin = JsonSerializer.Serialize(new[] { """{"Op":"stdin","Data":"echo rec-$((6*7)); exit\r","SessionID":"","Rows":0,"Cols":0}""" });
        using (var sent = await ops1.Http.PostAsync($"/api/sockjs/000/{session}/xhr_send", new StringContent(stdin)))
        {
            Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        string frame;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the terminal did not end");
            frame = await PollAsync(ops1.Http, session);
        }
        while (!frame.StartsWith('c'));

        await _host.App.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);
        var entry = Assert.Single((await _host.App.Services.GetRequiredService<PortholeStore>().QueryAuditAsync(new AuditQuery { Verb = "exec" })).Items);
        var url = "/api/v1/terminal/recordings/" + entry.Details!["recording"];

        using var own = await ops1.Http.GetAsync(url);
        using var admin = await root.Http.GetAsync(url);
        using var other = await ops2.Http.GetAsync(url);
        using var unknown = await ops1.Http.GetAsync("/api/v1/terminal/recordings/" + Guid.NewGuid().ToString("N"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/x-asciicast", own.Content.Headers.ContentType?.MediaType);
        var cast = (await own.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = JsonDocument.Parse(cast[0]).RootElement;
        Assert.Equal((2, 80, 24), (header.GetProperty("version").GetInt32(), header.GetProperty("width").GetInt32(), header.GetProperty("height").GetInt32()));
        var events = cast.Skip(1).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(events, e => Assert.Equal(JsonValueKind.Number, e[0].ValueKind));
        Assert.Contains(events, e => e[1].GetString() == "o" && e[2].GetString()!.Contains("rec-42", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(await own.Content.ReadAsStringAsync(), await admin.Content.ReadAsStringAsync());
        await ProblemJson.AssertProblemAsync(other, 404, "not_found");
        await ProblemJson.AssertProblemAsync(unknown, 404, "not_found");
        foreach (var path in new[] { "..%2Fporthole.db", "..%2F..%2Fusers.yaml", "%2E%2E", entry.Details["recording"] + ".cast", entry.Details["recording"].ToUpperInvariant() })
        {
            using var traversal = await ops1.Http.GetAsync("/api/v1/terminal/recordings/" + path);
            Assert.True(traversal.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {traversal.StatusCode}");
        }
    }

    [Fact]
    public async Task Bind_SameUserOtherCookieSession_Refused()
    {
        using var first = await SignInAsync("ops1");
        using var second = await SignInAsync("ops1");
        var id = await NewIdAsync(first.Http);

        var session = await BindAsync(second.Http, id);

        Assert.Equal("c[2,\"shell session id belongs to another session\"]\n", await PollAsync(second.Http, session));
    }

    [Fact]
    public async Task ShellAndSockJs_NotSignedIn_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _host.Url };

        using var shell = await anonymous.GetAsync(Shell);
        using var poll = await anonymous.PostAsync("/api/sockjs/000/abc/xhr", null);

        Assert.Equal(HttpStatusCode.Unauthorized, shell.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, poll.StatusCode);
    }
}
