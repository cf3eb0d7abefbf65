using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Hub;
using Porthole.Storage;
using Porthole.Tests.Hub;

namespace Porthole.Tests.Terminal;

/// <summary>
/// The idle timeout and the lifetime as the hub and SockJS clients see them, on a fake clock
/// (10 min idle timeout, 30 min lifetime) against the demo KubeSim: a notice before, then the
/// end with its reason, audited.
/// Terminals run an explicit command (the hub's <c>command</c>, kubecube's init script for
/// SockJS): the shell detection's hold window would run on the fake clock too.
/// </summary>
public sealed class TerminalIdleEndToEndTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly TempDir _dir = new();
    private PortholeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var script = Path.Combine(_dir.Path, "init.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexec sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var options = new PortholeOptions { Demo = true, DataDir = Path.Combine(_dir.Path, "data"), TerminalIdleTimeout = TimeSpan.FromMinutes(10), TerminalLifetime = TimeSpan.FromMinutes(30), TerminalScript = script };
        // Pings on the fake clock would all fall due in one advance: keep them out of the way.
        var hub = new HubOptions { PingInterval = TimeSpan.FromDays(1), PongTimeout = TimeSpan.FromDays(2) };
        _host = await PortholeTestHost.StartAsync(options: options, time: _clock, services: s => s.AddSingleton(hub));
        await _host.App.Services.GetRequiredService<ClusterRegistry>().WhenLoaded.WaitAsync(TimeSpan.FromMinutes(1));
        await TerminalPods.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Hub_NoInput_NoticeThenEndedWithRecordingAndAudit()
    {
        await using var client = await HubClient.ConnectAsync(_host.Url);
        await client.SubscribeAsync("terminal:idle", new { cluster = "sim-admin", @namespace = "default", pod = "web-1", container = "nginx", command = new[] { "sh" }, cols = 80, rows = 24 });
        await client.SendAsync("terminal_input", "terminal:idle", new { data = "echo up-$((1+1))\n" });
        await client.NextAsync(f => Payload(f, "data")?.Contains("up-2", StringComparison.Ordinal) == true);

        _clock.Advance(TimeSpan.FromMinutes(9));
        var notice = await client.NextAsync(f => Payload(f, "notice") is not null);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var end = await client.NextAsync(f => Payload(f, "ended") is not null);

        Assert.Equal("terminal_output", notice.GetProperty("type").GetString());
        Assert.Contains("closes in 1 min unless you type", Payload(notice, "notice"), StringComparison.Ordinal);
        Assert.Equal("idle_timeout", Payload(end, "ended"));
        Assert.Equal("The terminal session was closed after 10 min without input.", Payload(end, "notice"));
        var entry = await ExecAuditAsync("hub", "idle timeout");
        Assert.Equal("idle timeout", entry.Result);
        Assert.Equal(Payload(end, "recording"), entry.Details!["recording"]);
    }

    [Fact]
    public async Task Hub_TypingKeepsItOpen_LifetimeNoticeThenEnded()
    {
        await using var client = await HubClient.ConnectAsync(_host.Url);
        await client.SubscribeAsync("terminal:life", new { cluster = "sim-admin", @namespace = "default", pod = "web-1", container = "nginx", command = new[] { "sh" }, cols = 80, rows = 24 });
        for (var i = 0; i < 4; i++)
        {
            await client.SendAsync("terminal_input", "terminal:life", new { data = $"echo typed-{i}-$((1+1))\n" });
            await client.NextAsync(f => Payload(f, "data")?.Contains($"typed-{i}-2", StringComparison.Ordinal) == true);
            Assert.DoesNotContain(client.Drain(), f => Payload(f, "notice") is not null); // input every 8 min: never idle
            _clock.Advance(TimeSpan.FromMinutes(i < 3 ? 8 : 3)); // 8, 16, 24, then 27 min: 3 min before the lifetime
        }

        var notice = await client.NextAsync(f => Payload(f, "notice") is not null);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var end = await client.NextAsync(f => Payload(f, "ended") is not null);

        Assert.Equal("This terminal session closes in 3 min: its maximum lifetime is 30 min.", Payload(notice, "notice"));
        Assert.Equal("lifetime", Payload(end, "ended"));
        Assert.Equal("The terminal session was closed: it reached its maximum lifetime of 30 min.", Payload(end, "notice"));
        Assert.Equal("lifetime", (await ExecAuditAsync("hub", "lifetime")).Result);
    }

    [Fact]
    public async Task SockJs_NoInput_ToastThenToastAndClose()
    {
        using var http = _host.Client();
        var shell = await http.GetFromJsonAsync<JsonElement>("/api/v1/sim-admin/namespace/default/pod/web-1/shell/nginx?user=u&uid=1&auth=secret");
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var deadline = new CancellationTokenSource(HubClient.Deadline);
        var url = new UriBuilder(new Uri(_host.Url, $"/api/sockjs/000/{Guid.NewGuid():N}/websocket")) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(url, deadline.Token);
        var received = new StringBuilder();
        async Task UntilAsync(string text)
        {
            var buffer = new byte[16 * 1024];
            while (!received.ToString().Contains(text, StringComparison.Ordinal))
            {
                var r = await socket.ReceiveAsync(buffer, deadline.Token);
                Assert.NotEqual(WebSocketMessageType.Close, r.MessageType);
                received.Append(Encoding.UTF8.GetString(buffer, 0, r.Count)).Append('\n');
            }
        }

        await UntilAsync("o");
        await SendAsync(socket, $$"""{"Op":"bind","Data":"","SessionID":"{{shell.GetProperty("id").GetString()}}","Rows":24,"Cols":80}""", deadline.Token);
        await SendAsync(socket, """{"Op":"stdin","Data":"echo up-$((1+1))\n","SessionID":"","Rows":0,"Cols":0}""", deadline.Token);
        await UntilAsync("up-2");

        _clock.Advance(TimeSpan.FromMinutes(9));
        await UntilAsync("closes in 1 min unless you type");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await UntilAsync("c[");

        var text = received.ToString();
        Assert.Contains("{\\\"Op\\\":\\\"toast\\\",\\\"Data\\\":\\\"This terminal session closes in 1 min unless you type", text, StringComparison.Ordinal);
        Assert.Contains("{\\\"Op\\\":\\\"toast\\\",\\\"Data\\\":\\\"The terminal session was closed after 10 min without input.\\\"", text, StringComparison.Ordinal);
        Assert.EndsWith("c[2,\"The terminal session was closed after 10 min without input.\"]\n", text, StringComparison.Ordinal);
        Assert.Equal("idle timeout", (await ExecAuditAsync("sockjs", "idle timeout")).Result);
    }

    private async Task<AuditEntry> ExecAuditAsync(string transport, string result)
    {
        var audit = _host.App.Services.GetRequiredService<AuditLog>();
        var store = _host.App.Services.GetRequiredService<PortholeStore>();
        var deadline = DateTime.UtcNow + HubClient.Deadline;
        while (true)
        {
            await audit.FlushAsync(CancellationToken.None);
            if ((await store.QueryAuditAsync(new AuditQuery { Verb = "exec" })).Items.FirstOrDefault(e => e.Details?["transport"] == transport && e.Result == result) is { } entry)
            {
                return entry;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no exec audit entry for {transport} with result {result}");
            await Task.Delay(20); // polls a condition, bounded by the deadline
        }
    }

    private static string? Payload(JsonElement frame, string field) =>
        frame.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty(field, out var v) ? v.ToString() : null;

    private static Task SendAsync(ClientWebSocket socket, string message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { message })), WebSocketMessageType.Text, true, ct);
}
