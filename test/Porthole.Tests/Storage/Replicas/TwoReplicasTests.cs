using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Porthole.Tests.Auth;

namespace Porthole.Tests.Storage.Replicas;

/// <summary>
/// Two porthole processes on one PostgreSQL database (<see cref="ReplicaPair"/>): what one
/// replica writes, the other sees; what stays in one process (SockJS sessions) answers the
/// other replica's requests with the SockJS protocol's clear errors, never a hang.
/// </summary>
public sealed class TwoReplicasTests(ReplicaPair pair, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ReplicaPair>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Logout_OnA_CookieRefusedOnB()
    {
        using var alice = await pair.SignInAsync(pair.UrlA, "alice", "alice-password");
        using var onB = ReplicaPair.SameCookies(alice, pair.UrlB);
        using (var me = await onB.GetAsync("/api/v1/auth/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        var cookie = alice.Cookies.GetCookies(pair.UrlA)["porthole_session"]!.Value;
        using (var logout = await alice.Http.PostAsync("/api/v1/auth/logout", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var watch = Stopwatch.StartNew();
        await WaitForAsync(async () => await MeAsync(pair.UrlB, cookie) == HttpStatusCode.Unauthorized, "B to refuse the cookie signed out on A");
        output.WriteLine($"revocation A -> B seen over HTTP after {watch.Elapsed.TotalMilliseconds:0} ms (logout answered, then polling B)");
    }

    [Fact]
    public async Task Audit_WrittenOnA_ReadOnB()
    {
        using var ops1 = await pair.SignInAsync(pair.UrlA, "ops1");
        using var root = await pair.SignInAsync(pair.UrlB, "root", "admin-password");
        var name = $"cm-{Guid.NewGuid():N}"[..20];
        using (var create = await ops1.Http.PostAsJsonAsync("/api/v1/clusters/sim-porthole/k8s/api/v1/namespaces/default/configmaps",
            new { apiVersion = "v1", kind = "ConfigMap", metadata = new { name }, data = new { k = "v" } }))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }

        using (var delete = await ops1.Http.DeleteAsync($"/api/v1/clusters/sim-porthole/k8s/api/v1/namespaces/default/configmaps/{name}"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        JsonElement entry = default;
        var last = "";
        await WaitForAsync(async () =>
        {
            using var response = await root.Http.GetAsync("/api/v1/audit?user=ops1&resource=configmaps");
            last = await response.Content.ReadAsStringAsync();
            var page = JsonDocument.Parse(last).RootElement;
            return response.IsSuccessStatusCode && page.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("name").GetString() == name).Select(e => (JsonElement?)e).FirstOrDefault() is { } found
                && (entry = found).ValueKind == JsonValueKind.Object;
        }, () => $"B's audit log to show A's change; last answer: {last}");
        Assert.Equal(("delete", "success", "sim-porthole"), (entry.GetProperty("verb").GetString(), entry.GetProperty("result").GetString(), entry.GetProperty("cluster").GetString()));
    }

    [Fact]
    public async Task ShellId_CreatedOnA_BindsOnBAndItsRecordingReadsOnA()
    {
        using var ops1 = await pair.SignInAsync(pair.UrlA, "ops1");
        using var onB = ReplicaPair.SameCookies(ops1, pair.UrlB);
        var id = await NewShellIdAsync(ops1.Http);

        var session = await BindAsync(onB, id);
        Assert.StartsWith("a[\"{\\\"Op\\\":\\\"stdout\\\"", await PollAsync(onB, session), StringComparison.Ordinal);
        await SendAsync(onB, session, """{"Op":"stdin","Data":"echo cross-$((6*7)); exit\r","SessionID":"","Rows":0,"Cols":0}""");
        var frames = new StringBuilder();
        using (var deadline = new CancellationTokenSource(Deadline))
        {
            string frame;
            do
            {
                frame = await PollAsync(onB, session, deadline.Token);
                frames.Append(frame);
            }
            while (!frame.StartsWith('c'));
            Assert.Equal("c[1,\"process exited\"]\n", frame);
        }

        Assert.Contains("cross-42", frames.ToString(), StringComparison.Ordinal);
        string cast = "";
        await WaitForAsync(async () =>
        {
            using var recording = await ops1.Http.GetAsync($"/api/v1/terminal/recordings/{id}");
            cast = await recording.Content.ReadAsStringAsync();
            return recording.StatusCode == HttpStatusCode.OK && cast.Contains("cross-42", StringComparison.Ordinal);
        }, "A to serve the recording B wrote");
        Assert.StartsWith("{\"version\":2,\"width\":80,\"height\":24,", cast, StringComparison.Ordinal);

        // Single use across replicas: A does not bind it again.
        var again = await BindAsync(ops1.Http, id);
        Assert.Equal("c[2,\"unknown or already used shell session id\"]\n", await PollAsync(ops1.Http, again));
    }

    [Fact]
    public async Task SockJs_RequestsAlternateBetweenReplicas_ProtocolErrorsNotHangs()
    {
        using var ops1 = await pair.SignInAsync(pair.UrlA, "ops1");
        using var onB = ReplicaPair.SameCookies(ops1, pair.UrlB);
        var id = await NewShellIdAsync(ops1.Http);
        var session = await BindAsync(ops1.Http, id);
        Assert.StartsWith("a[", await PollAsync(ops1.Http, session), StringComparison.Ordinal);

        // The session lives in A. B does not know it: a send is the protocol's 404 at once...
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        using (var send = await onB.PostAsync($"/api/sockjs/000/{session}/xhr_send",
            new StringContent(JsonSerializer.Serialize(new[] { """{"Op":"stdin","Data":"echo lost\r","SessionID":"","Rows":0,"Cols":0}""" })), timeout.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);
        }

        // ...and a poll opens a new session there ("o" again), which sockjs-client answers with
        // close 1006 "Server lost session"; that session's first message is not a bind, so it ends.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal("o\n", await PollAsync(onB, session, timeout.Token));
            await SendAsync(onB, session, """{"Op":"stdin","Data":"echo lost\r","SessionID":"","Rows":0,"Cols":0}""");
            Assert.Equal("c[2,\"the first message must be bind\"]\n", await PollAsync(onB, session, timeout.Token));
        }

        // A's session is untouched and still answers its owner.
        await SendAsync(ops1.Http, session, """{"Op":"stdin","Data":"exit\r","SessionID":"","Rows":0,"Cols":0}""");
        using var done = new CancellationTokenSource(Deadline);
        string frame;
        do
        {
            frame = await PollAsync(ops1.Http, session, done.Token);
        }
        while (!frame.StartsWith('c'));
        Assert.Equal("c[1,\"process exited\"]\n", frame);
    }

    [Fact]
    public async Task RevocationAndPreferences_RestartOfBoth_Kept()
    {
        using var signedOut = await pair.SignInAsync(pair.UrlA, "alice", "alice-password");
        var cookie = signedOut.Cookies.GetCookies(pair.UrlA)["porthole_session"]!.Value;
        using (var put = await signedOut.Http.PutAsJsonAsync("/api/v1/me/preferences", new { theme = "dark", pageSize = 200 }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var onB = ReplicaPair.SameCookies(signedOut, pair.UrlB))
        using (var logout = await onB.PostAsync("/api/v1/auth/logout", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await pair.RestartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(pair.UrlA, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(pair.UrlB, cookie));

        using var again = await pair.SignInAsync(pair.UrlB, "alice", "alice-password");
        var prefs = await again.Http.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences");
        Assert.Equal(("dark", 200), (prefs.GetProperty("theme").GetString(), prefs.GetProperty("pageSize").GetInt32()));
        Assert.DoesNotContain(pair.Postgres.Password, pair.Logs, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:" + pair.Postgres.Port, pair.Logs, StringComparison.Ordinal);
    }

    /// <summary>The status of GET /api/v1/auth/me on <paramref name="url"/> with only this session cookie.</summary>
    internal static async Task<HttpStatusCode> MeAsync(Uri url, string cookie)
    {
        using var http = new HttpClient { BaseAddress = url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Add("Cookie", $"porthole_session={cookie}");
        using var me = await http.SendAsync(request);
        return me.StatusCode;
    }

    internal static async Task<string> NewShellIdAsync(HttpClient http)
    {
        using var response = await http.GetAsync(ReplicaPair.Shell);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    internal static async Task<string> PollAsync(HttpClient http, string session, CancellationToken ct = default)
    {
        using var response = await http.PostAsync($"/api/sockjs/000/{session}/xhr", null, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(ct);
    }

    internal static async Task SendAsync(HttpClient http, string session, string message)
    {
        using var sent = await http.PostAsync($"/api/sockjs/000/{session}/xhr_send", new StringContent(JsonSerializer.Serialize(new[] { message }), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
    }

    internal static async Task<string> BindAsync(HttpClient http, string id)
    {
        var session = Guid.NewGuid().ToString("N");
        Assert.Equal("o\n", await PollAsync(http, session));
        await SendAsync(http, session, $$"""{"Op":"bind","Data":"","SessionID":"{{id}}","Rows":24,"Cols":80}""");
        return session;
    }

    internal static Task WaitForAsync(Func<Task<bool>> condition, string what) => WaitForAsync(condition, () => what);

    internal static async Task WaitForAsync(Func<Task<bool>> condition, Func<string> what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"timed out waiting for {what()}");
            await Task.Delay(10, CancellationToken.None); // polls a condition, bounded by the deadline
        }
    }
}
