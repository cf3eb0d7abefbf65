using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Storage;
using Porthole.Terminal;

namespace Porthole.Tests.Hub;

public sealed class TerminalChannelTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Terminal_InputResizeExit_EchoSizeExitCodeAndRecording()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.RunningPodAsync(ns, "web-1", new() { ["app"] = "web" }, "nginx");
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("terminal:t1", new { cluster = "sim-admin", @namespace = ns, pod = "web-1", container = "nginx", cols = 80, rows = 24 });
        var output = new StringBuilder();

        async Task<string> UntilAsync(string text)
        {
            while (!output.ToString().Contains(text, StringComparison.Ordinal))
            {
                var frame = await client.NextOnAsync("terminal:t1");
                Assert.Equal("terminal_output", frame.GetProperty("type").GetString());
                if (frame.GetProperty("payload").TryGetProperty("data", out var data))
                {
                    output.Append(data.GetString());
                }
            }

            return output.ToString();
        }

        await client.SendAsync("terminal_input", "terminal:t1", new { data = "echo hub-$((40+2))\n" });
        await UntilAsync("hub-42");
        await client.SendAsync("terminal_input", "terminal:t1", new { data = "stty size\n" });
        await UntilAsync("24 80");
        await client.SendAsync("terminal_resize", "terminal:t1", new { cols = 100, rows = 30 });
        await client.SendAsync("terminal_input", "terminal:t1", new { data = "stty size\n" });
        await UntilAsync("30 100");
        await client.SendAsync("terminal_input", "terminal:t1", new { data = "exit 3\n" });

        var exit = await client.NextAsync(f => f.TryGetProperty("channel", out var c) && c.GetString() == "terminal:t1" && f.GetProperty("payload").TryGetProperty("exitCode", out _));
        Assert.Equal(3, exit.GetProperty("payload").GetProperty("exitCode").GetInt32());
        await fixture.Porthole.App.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);
        var audit = (await fixture.Porthole.App.Services.GetRequiredService<PortholeStore>().QueryAuditAsync(new AuditQuery { Verb = "exec" })).Items;
        var entry = Assert.Single(audit, e => e.Namespace == ns);
        Assert.Equal(("sim-admin", "pods/exec", "web-1", "exit 3"), (entry.Cluster, entry.Resource, entry.Name, entry.Result));
        Assert.Equal(("nginx", "hub"), (entry.Details!["container"], entry.Details["transport"]));
        Assert.Equal(exit.GetProperty("payload").GetProperty("recording").GetString(), entry.Details["recording"]);
        var cast = await RecordingAsync(entry.Details["recording"]);
        Assert.Contains("hub-42", cast, StringComparison.Ordinal);
        Assert.StartsWith("{\"version\":2", cast, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/windows/servercore:ltsc2022", "powershell", "PS C:\\> ")]
    [InlineData("mcr.microsoft.com/windows/nanoserver:ltsc2022", "cmd", "C:\\>")]
    public async Task Terminal_WindowsImage_ItsShellWithoutTraceOfTheOthers(string image, string shell, string prompt)
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.RunningPodAsync(ns, "win-1", image, new() { ["app"] = "win" }, "app");
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("terminal:win", new { cluster = "sim-admin", @namespace = ns, pod = "win-1", container = "app", cols = 80, rows = 24 });
        await client.SendAsync("terminal_input", "terminal:win", new { data = "echo win-$((3*4))\n" });
        await client.SendAsync("terminal_input", "terminal:win", new { data = "exit 5\n" });
        var output = new StringBuilder();
        JsonElement payload;
        do
        {
            var frame = await client.NextOnAsync("terminal:win");
            Assert.Equal("terminal_output", frame.GetProperty("type").GetString());
            payload = frame.GetProperty("payload");
            output.Append(payload.TryGetProperty("data", out var data) ? data.GetString() : "");
        }
        while (!payload.TryGetProperty("exitCode", out _));

        Assert.Equal(5, payload.GetProperty("exitCode").GetInt32());
        Assert.Contains(prompt, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("win-12", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("cannot find", output.ToString(), StringComparison.OrdinalIgnoreCase);
        await fixture.Porthole.App.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);
        var entry = Assert.Single((await fixture.Porthole.App.Services.GetRequiredService<PortholeStore>().QueryAuditAsync(new AuditQuery { Verb = "exec", Namespace = ns })).Items);
        Assert.Equal(shell, entry.Details!["command"]);
    }

    [Fact]
    public async Task Terminal_UnknownPod_ErrorOnChannel()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("terminal:t2", new { cluster = "sim-admin", @namespace = "default", pod = "ghost", container = "c", cols = 80, rows = 24 });
        var error = await client.NextOnAsync("terminal:t2");
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("not_found", error.GetProperty("payload").GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("payload").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Terminal_BadResize_ErrorAndTerminalStays()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.RunningPodAsync(ns, "web-1", new() { ["app"] = "web" }, "nginx");
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("terminal:t3", new { cluster = "sim-admin", @namespace = ns, pod = "web-1", container = "nginx", cols = 80, rows = 24 });
        await client.SendAsync("terminal_resize", "terminal:t3", new { cols = 0, rows = 30 });
        var error = await client.NextAsync(f => f.GetProperty("type").GetString() == "error");
        Assert.Equal("bad_payload", error.GetProperty("payload").GetProperty("code").GetString());
        await client.SendAsync("terminal_input", "terminal:t3", new { data = "echo still-$((1+1))\n" });
        await client.NextAsync(f => f.GetProperty("type").GetString() == "terminal_output" && f.GetProperty("payload").TryGetProperty("data", out var d) && d.GetString()!.Contains("still-2", StringComparison.Ordinal));
    }

    /// <summary>A finished terminal's recording, as the store holds it.</summary>
    private async Task<string> RecordingAsync(string id)
    {
        var bytes = new MemoryStream();
        Assert.True(await fixture.Porthole.App.Services.GetRequiredService<PortholeStore>().ReadRecordingAsync(id, (chunk, ct) => bytes.WriteAsync(chunk, ct).AsTask()));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
