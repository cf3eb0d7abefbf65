using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters;
using Porthole.Hosting;

namespace Porthole.Tests.Terminal.SockJs;

/// <summary>The SockJS server and the shell API over real Kestrel, against the in-process demo KubeSim.</summary>
public sealed class SockJsServerTests : IAsyncLifetime
{
    private PortholeTestHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var data = Directory.CreateTempSubdirectory("porthole-sockjs-").FullName;
        _host = await PortholeTestHost.StartAsync(options: new PortholeOptions { Demo = true, DataDir = data });
        _client = _host.Client();
        var registry = _host.App.Services.GetRequiredService<ClusterRegistry>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!registry.Loaded)
        {
            await Task.Delay(50, deadline.Token); // polls a condition, bounded by the deadline
        }

        await TerminalPods.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private Uri WebSocketUrl(string path) => new(_host.Url.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + path);

    private async Task<string> PollAsync(string session)
    {
        using var response = await _client.PostAsync($"/api/sockjs/000/{session}/xhr", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpStatusCode> SendAsync(string session, string payload)
    {
        using var response = await _client.PostAsync($"/api/sockjs/000/{session}/xhr_send", new StringContent(payload, Encoding.UTF8, "text/plain"));
        return response.StatusCode;
    }

    [Fact]
    public async Task Info_Get_BodyAndHeadersMatchProtocol()
    {
        using var first = await _client.GetAsync("/api/sockjs/info?t=1");
        using var second = await _client.GetAsync("/api/sockjs/info?t=2");
        var body = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json; charset=UTF-8", first.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store, no-cache, no-transform, must-revalidate, max-age=0", first.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("*", first.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", first.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.True(body.GetProperty("websocket").GetBoolean());
        Assert.False(body.GetProperty("cookie_needed").GetBoolean());
        Assert.Equal("*:*", body.GetProperty("origins")[0].GetString());
        Assert.NotEqual(body.GetProperty("entropy").GetUInt32(), JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("entropy").GetUInt32());
    }

    [Fact]
    public async Task Info_OptionsWithOrigin_204CachedForAYearWithCors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/sockjs/info");
        request.Headers.Add("Origin", _host.Url.GetLeftPart(UriPartial.Authority));
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("public, max-age=31536000", response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("31536000", response.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Equal("OPTIONS, GET", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal(_host.Url.GetLeftPart(UriPartial.Authority), response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.NotNull(response.Content.Headers.Expires);
    }

    [Fact]
    public async Task GetShell_UserWithoutPodsExec_403Message()
    {
        using var response = await _client.GetAsync("/api/v1/sim-viewer/namespace/default/pod/web-1/shell/nginx");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("pods/exec", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/api/v1/sim-admin/namespace/default/pod/nope/shell/nginx")]
    [InlineData("/api/v1/sim-admin/namespace/default/pod/web-1/shell/nope")]
    [InlineData("/api/v1/no-such-cluster/namespace/default/pod/web-1/shell/nginx")]
    public async Task GetShell_MissingPodContainerOrCluster_404Message(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEmpty(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!);
    }

    [Theory]
    [InlineData("hello", "c[2,\"malformed message")]
    [InlineData("{\"Op\":\"stdin\",\"Data\":\"ls\\r\"}", "c[2,\"the first message must be bind\"]")]
    [InlineData("{\"Op\":\"bind\",\"SessionID\":\"0123456789abcdef0123456789abcdef\"}", "c[2,\"unknown or already used shell session id\"]")]
    public async Task Bind_BadFirstFrame_ClosesWithCode2(string first, string expected)
    {
        var session = Guid.NewGuid().ToString("N");
        Assert.Equal("o\n", await PollAsync(session));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(session, JsonSerializer.Serialize(new[] { first })));

        Assert.StartsWith(expected, await PollAsync(session), StringComparison.Ordinal);
        Assert.StartsWith(expected, await PollAsync(session), StringComparison.Ordinal); // a closed session keeps answering its close
    }

    [Fact]
    public async Task XhrSend_MalformedFrames_ClearErrorsAndServerKeepsServing()
    {
        var session = Guid.NewGuid().ToString("N");
        Assert.Equal("o\n", await PollAsync(session));

        Assert.Equal(HttpStatusCode.InternalServerError, await SendAsync(session, ""));
        Assert.Equal(HttpStatusCode.InternalServerError, await SendAsync(session, "[\"unterminated"));
        Assert.Equal(HttpStatusCode.InternalServerError, await SendAsync(session, "[1,{}]"));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync("no-such-session", "[\"x\"]"));
        using (var dotted = await _client.PostAsync("/api/sockjs/0.0/a.b/xhr", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, dotted.StatusCode);
        }

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUrl("api/sockjs/000/" + Guid.NewGuid().ToString("N") + "/websocket"), CancellationToken.None);
        var buffer = new byte[4096];
        var open = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("o", Encoding.UTF8.GetString(buffer, 0, open.Count));
        await socket.SendAsync("[\"not closed"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var closed = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Close, closed.MessageType);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, socket.CloseStatus);

        using var info = await _client.GetAsync("/api/sockjs/info");
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
    }

    [Fact]
    public async Task WebSocket_ForeignOrigin_403()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketUrl("api/sockjs/000/abc/websocket"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }
}
