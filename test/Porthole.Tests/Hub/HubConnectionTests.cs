using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Porthole.Tests.Hub;

public sealed class HubConnectionTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private static string Code(System.Text.Json.JsonElement frame) => frame.GetProperty("payload").GetProperty("code").GetString()!;

    private static Task<System.Text.Json.JsonElement> ErrorAsync(HubClient client) => client.NextAsync(f => f.GetProperty("type").GetString() == "error");

    /// <summary>The connection still answers: a ping gets its pong.</summary>
    private static async Task AssertAliveAsync(HubClient client)
    {
        await client.SendAsync("ping");
        await client.NextAsync(f => f.GetProperty("type").GetString() == "pong");
    }

    [Fact]
    public async Task Receive_MalformedJson_ErrorAndConnectionStays()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SendRawAsync("{\"type\": \"subscribe\", ");
        var error = await ErrorAsync(client);
        Assert.Equal("bad_json", Code(error));
        Assert.False(error.TryGetProperty("channel", out _));
        Assert.Matches("^[0-9a-f]{32}$", error.GetProperty("sessionID").GetString());
        await AssertAliveAsync(client);
    }

    [Theory]
    [InlineData("[1,2]", "bad_json")]
    [InlineData("{\"channel\":\"watch:x\"}", "bad_message")]
    [InlineData("{\"type\":\"dance\"}", "unknown_type")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"movies:1\",\"payload\":{}}", "unknown_channel")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"watch:a\"}", "bad_payload")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"watch:a\",\"payload\":{\"cluster\":\"sim-admin\",\"version\":\"v1\",\"resource\":\"pods\",\"colour\":\"red\"}}", "bad_payload")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"watch:a\",\"payload\":{\"cluster\":\"nowhere\",\"version\":\"v1\",\"resource\":\"pods\"}}", "unknown_cluster")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"watch:a\",\"payload\":{\"cluster\":\"sim-admin\",\"version\":\"v1\",\"resource\":\"../secrets\"}}", "bad_payload")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"watch:a\",\"payload\":{\"cluster\":\"sim-admin\",\"version\":\"v1\",\"resource\":\"pods\",\"labelSelector\":\"app in (a\"}}", "bad_selector")]
    [InlineData("{\"type\":\"unsubscribe\",\"channel\":\"watch:never\"}", "not_subscribed")]
    [InlineData("{\"type\":\"terminal_input\",\"channel\":\"terminal:none\",\"payload\":{\"data\":\"x\"}}", "not_subscribed")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"logs:l\",\"payload\":{\"cluster\":\"sim-admin\",\"namespace\":\"default\",\"pod\":\"web-1\",\"filter\":\"/(a/\"}}", "bad_filter")]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"logs:l\",\"payload\":{\"cluster\":\"sim-admin\",\"namespace\":\"default\"}}", "bad_payload")]
    public async Task Receive_BadMessage_ErrorWithCodeAndConnectionStays(string message, string code)
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SendRawAsync(message);
        Assert.Equal(code, Code(await ErrorAsync(client)));
        await AssertAliveAsync(client);
    }

    [Fact]
    public async Task Subscribe_SelectorRefusedUpstream_ErrorOnThatChannelOnly()
    {
        var ns = await fixture.NamespaceAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:good", new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns });
        await client.SubscribeAsync("watch:bad", new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns, labelSelector = "a b c" });
        var error = await client.NextOnAsync("watch:bad");
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("bad_selector", Code(error));
        Assert.Equal("SNAPSHOT", (await client.NextOnAsync("watch:good")).GetProperty("payload").GetProperty("type").GetString());

        await fixture.CreateConfigMapAsync(ns, "after");
        Assert.Equal("ADDED", (await client.NextOnAsync("watch:good")).GetProperty("payload").GetProperty("type").GetString());

        // The failed channel is closed: the same name can be subscribed again.
        await client.SubscribeAsync("watch:bad", new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns });
        Assert.Equal("SNAPSHOT", (await client.NextOnAsync("watch:bad")).GetProperty("payload").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Subscribe_SameChannelTwice_AlreadySubscribed()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        var payload = new { cluster = "sim-admin", version = "v1", resource = "namespaces" };
        await client.SubscribeAsync("watch:ns", payload);
        await client.SubscribeAsync("watch:ns", payload);
        var error = await client.NextAsync(f => f.GetProperty("type").GetString() == "error");
        Assert.Equal("already_subscribed", Code(error));
        Assert.Equal("watch:ns", error.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Receive_BinaryFrame_Error()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Equal("binary_frame", Code(await ErrorAsync(client)));
        await AssertAliveAsync(client);
    }

    [Fact]
    public async Task Receive_OverOneMiB_ErrorThenClose1009()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        var big = "{\"type\":\"ping\",\"payload\":\"" + new string('x', (1024 * 1024) + 10) + "\"}";
        await client.SendBytesAsync(Encoding.UTF8.GetBytes(big));
        Assert.Equal("message_too_big", Code(await ErrorAsync(client)));
        await client.Closed.WaitAsync(HubClient.Deadline);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task Receive_JustUnderOneMiB_Accepted()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        var frame = "{\"type\":\"ping\",\"payload\":\"\"}";
        var big = frame.Replace("\"\"", "\"" + new string('x', (1024 * 1024) - frame.Length) + "\"", StringComparison.Ordinal);
        Assert.Equal(1024 * 1024, Encoding.UTF8.GetByteCount(big));
        await client.SendBytesAsync(Encoding.UTF8.GetBytes(big));
        await client.NextAsync(f => f.GetProperty("type").GetString() == "pong");
    }

    [Fact]
    public async Task Receive_OverRateLimit_ExcessDroppedWithErrorConnectionStays()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        var batch = Encoding.UTF8.GetBytes("{\"type\":\"ping\"}");
        for (var i = 0; i < 300; i++)
        {
            await client.SendBytesAsync(batch);
        }

        var error = await ErrorAsync(client);
        Assert.Equal("rate_limited", Code(error));
        var pongs = client.Drain().Count(f => f.GetProperty("type").GetString() == "pong");
        Assert.InRange(pongs, 1, 299);
        // Once the bucket refills, messages are served again on the same connection.
        for (var attempt = 0; ; attempt++)
        {
            await client.SendAsync("ping");
            try
            {
                await client.NextAsync(f => f.GetProperty("type").GetString() == "pong", TimeSpan.FromSeconds(2));
                break;
            }
            catch (TimeoutException) when (attempt < 30)
            {
                // still refused: try again
            }
        }

        Assert.Null(client.CloseStatus);
    }

    [Fact]
    public async Task Receive_SustainedFlood_ClosedWithPolicyViolation()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        var ping = Encoding.UTF8.GetBytes("{\"type\":\"ping\"}");
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!client.Closed.IsCompleted && clock.Elapsed < HubClient.Deadline)
            {
                await client.SendBytesAsync(ping);
            }
        }
        catch (WebSocketException)
        {
            // closed under our feet: what the test expects
        }

        await client.Closed.WaitAsync(HubClient.Deadline);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Contains("rate limit", client.CloseDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ForeignOrigin_Refused403()
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        var url = new UriBuilder(new Uri(fixture.Porthole.Url, "/ws")) { Scheme = "ws" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Connect_OwnOrigin_Accepted()
    {
        var own = fixture.Porthole.Url.GetLeftPart(UriPartial.Authority);
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url, origin: own);
        await AssertAliveAsync(client);
    }

    [Fact]
    public async Task Get_WithoutUpgrade_400Problem()
    {
        using var http = fixture.Porthole.Client();
        var response = await http.GetAsync("/ws");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("websocket_expected", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribe_OpenChannel_NoMoreFramesOthersContinue()
    {
        var ns = await fixture.NamespaceAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:one", new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns });
        await client.SubscribeAsync("watch:two", new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns });
        await client.NextOnAsync("watch:one");
        await client.NextOnAsync("watch:two");
        await client.SendAsync("unsubscribe", "watch:one");
        await client.SendAsync("ping");
        await client.NextAsync(f => f.GetProperty("type").GetString() == "pong"); // the unsubscribe was handled

        await fixture.CreateConfigMapAsync(ns, "x");
        await client.NextOnAsync("watch:two");
        Assert.DoesNotContain(client.Drain(), f => f.TryGetProperty("channel", out var c) && c.GetString() == "watch:one");
    }
}
