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
/// are invisible to other sessions.
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

    private async Task<AuthTestClient> SignInAsync(string user)
    {
        var client = new AuthTestClient(_host.Url);
        using var login = await client.LoginAsync(user, user + "-password");
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
        var entry = Assert.Single(_host.App.Services.GetRequiredService<PortholeStore>().QueryAudit(new AuditQuery { Verb = "exec" }).Items);
        Assert.Equal(("ops1", "sim-porthole", "pods/exec", "default", "web-1", "exit 0"), (entry.User, entry.Cluster, entry.Resource, entry.Namespace, entry.Name, entry.Result));
        Assert.Equal("nginx", entry.Details!["container"]);
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
