using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Faults;

/// <summary>Each fault over real sockets, driven through the sim-admin-only HTTP API where it can be.</summary>
public sealed class SimFaultsTests : IClassFixture<SimFixture>, IAsyncLifetime
{
    private readonly SimFixture _sim;

    public SimFaultsTests(SimFixture sim)
    {
        _sim = sim;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>No fault outlives its test.</summary>
    public async Task DisposeAsync()
    {
        if (_sim.Server.Faults.ListenerDown)
        {
            await _sim.Server.Faults.StartListenerAsync();
        }

        _sim.Server.Faults.Clear();
    }

    private async Task<JsonObject> AdminAsync(HttpMethod method, string action, string? body = null, string user = "sim-admin")
    {
        using var http = _sim.Http(user);
        using var request = new HttpRequestMessage(method, "/kubesim/v1/faults" + (action.Length > 0 ? "/" + action : ""));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, $"{method} {action}: {(int)response.StatusCode} {json}");
        return json;
    }

    [Fact]
    public async Task AdminApi_Viewer_Forbidden()
    {
        using var http = _sim.Http("sim-viewer");
        foreach (var (method, path) in new[] { (HttpMethod.Get, ""), (HttpMethod.Post, "/errors"), (HttpMethod.Delete, "") })
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, "/kubesim/v1/faults" + path) { Content = new StringContent("{}") });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("Forbidden", (string?)status["reason"]);
            Assert.Contains("User \"sim-viewer\" cannot", (string?)status["message"], StringComparison.Ordinal);
        }

        Assert.Equal(0, _sim.Server.Faults.Settings.ErrorFraction);
    }

    [Fact]
    public async Task DropWatches_OpenHttpWatch_StreamEndsAndControllersRelist()
    {
        var client = _sim.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "fault-drop" } });
        using var http = _sim.Http();
        using var response = await http.GetAsync("/api/v1/namespaces/fault-drop/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var drained = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync(deadline.Token) is not null)
            {
            }
        });
        await Eventually.GetAsync(() => Task.FromResult(_sim.Server.Counters.OpenWatches), n => n > 0, what: "watch open");

        var report = await AdminAsync(HttpMethod.Post, "drop-watches", "{}");
        Assert.True((long)report["watchesDropped"]! >= 1);
        await drained; // the stream ended (it would throw on the deadline otherwise)

        // The kubelet and controllers watched the store too: they relist and keep working.
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "after-drop" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        }, "fault-drop");
        await Eventually.GetAsync(() => client.CoreV1.ReadNamespacedPodAsync("after-drop", "fault-drop"), p => p.Status?.Phase == "Running", what: "pod running after drop");
    }

    [Fact]
    public async Task ExpireNextWatches_One_NextWatchGetsError410ThenNormal()
    {
        var expiredBefore = _sim.Server.Faults.Report().WatchesExpired;
        await AdminAsync(HttpMethod.Post, "expire-watches", """{"count":1}""");
        using var http = _sim.Http();
        var expired = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1");
        var e = JsonNode.Parse(expired.Trim())!;
        Assert.Equal("ERROR", (string?)e["type"]);
        Assert.Equal(410, (int?)e["object"]!["code"]);
        Assert.Equal("Expired", (string?)e["object"]!["reason"]);
        Assert.StartsWith("too old resource version: 1 (", (string?)e["object"]!["message"], StringComparison.Ordinal);

        var normal = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1");
        Assert.DoesNotContain("\"ERROR\"", normal, StringComparison.Ordinal);
        Assert.Equal(expiredBefore + 1, _sim.Server.Faults.Report().WatchesExpired);
    }

    [Fact]
    public async Task Latency_Fixed_RequestTakesAtLeastThat()
    {
        await AdminAsync(HttpMethod.Post, "latency", """{"fixedMs":400,"jitterMs":100}""");
        using var http = _sim.Http();
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync("/api/v1/namespaces/default");
        clock.Stop();
        response.EnsureSuccessStatusCode();
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"took {clock.Elapsed}");

        // The admin path and health checks are never delayed: clearing works at once.
        await AdminAsync(HttpMethod.Delete, "");
        Assert.Equal(TimeSpan.Zero, _sim.Server.Faults.Settings.Latency);
    }

    [Theory]
    [InlineData(429, "TooManyRequests")]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task Errors_FractionOne_EveryRequestFailsWithStatus(int code, string reason)
    {
        var before = _sim.Server.Counters.Responses(code);
        await AdminAsync(HttpMethod.Post, "errors", $$"""{"fraction":1,"status":{{code}},"retryAfterSeconds":3}""");
        using var http = _sim.Http();
        for (var i = 0; i < 5; i++)
        {
            using var response = await http.GetAsync("/api/v1/namespaces");
            Assert.Equal(code, (int)response.StatusCode);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(reason, (string?)status["reason"]);
            Assert.Equal(code, (int?)status["code"]);
            if (code == 429)
            {
                Assert.Equal("3", response.Headers.RetryAfter?.ToString());
                Assert.Equal(3, (int?)status["details"]!["retryAfterSeconds"]);
            }
        }

        using (var health = await http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await Eventually.GetAsync(() => Task.FromResult(_sim.Server.Counters.Responses(code) - before), n => n >= 5, what: "status counted");
    }

    [Fact]
    public async Task Errors_FractionZero_NoRequestFails()
    {
        var failedBefore = _sim.Server.Faults.Report().RequestsFailed;
        await AdminAsync(HttpMethod.Post, "errors", """{"fraction":0,"status":503}""");
        using var http = _sim.Http();
        for (var i = 0; i < 20; i++)
        {
            using var response = await http.GetAsync("/api/v1/namespaces/default");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(failedBefore, _sim.Server.Faults.Report().RequestsFailed);
    }

    [Fact]
    public async Task Listener_StopThenStart_RefusedMeanwhileStateKept()
    {
        var client = _sim.Client();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "survives-restart" },
            Data = new Dictionary<string, string> { ["k"] = "v" },
        }, "default");

        var restartsBefore = _sim.Server.Faults.Report().ListenerRestarts;
        await _sim.Server.Faults.StopListenerAsync();
        using (var http = _sim.Http())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/api/v1/namespaces/default/configmaps/survives-restart"));
            Assert.Equal(SocketError.ConnectionRefused, (refused.InnerException as SocketException)?.SocketErrorCode);
        }

        await _sim.Server.Faults.StartListenerAsync();
        var back = await _sim.Client().CoreV1.ReadNamespacedConfigMapAsync("survives-restart", "default");
        Assert.Equal("v", back.Data["k"]);
        Assert.Equal(restartsBefore + 1, _sim.Server.Faults.Report().ListenerRestarts);
    }

    [Fact]
    public async Task Restart_OverHttp_RefusedWhileDownThenBackOnSamePort()
    {
        var restartsBefore = _sim.Server.Faults.Report().ListenerRestarts;
        var port = _sim.Server.Url.Port;
        var report = await AdminAsync(HttpMethod.Post, "restart", """{"downMs":5000}""");
        Assert.False((bool)report["listenerDown"]!); // answered before the listener goes

        await Eventually.GetAsync(() => Task.FromResult(_sim.Server.Faults.ListenerDown), down => down, what: "listener down");
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        await Eventually.GetAsync(() => Task.FromResult(_sim.Server.Faults.Report().ListenerRestarts), n => n > restartsBefore, what: "listener restarted");
        using var http = _sim.Http();
        using var response = await http.GetAsync("/api/v1/namespaces/default");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
