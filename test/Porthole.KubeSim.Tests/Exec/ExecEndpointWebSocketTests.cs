using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Exec;

namespace Porthole.KubeSim.Tests.Exec;

/// <summary>Raw WebSocket clients (as kubectl 1.30+ speaks v5) against a real Kestrel server.</summary>
public sealed class ExecEndpointWebSocketTests
{
    [Fact]
    public async Task Exec_V5Echo_EmptyFirstFrameThenOutputThenSuccess()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(false, false, "echo", "hi"), deadline.Token, "v5.channel.k8s.io", "v4.channel.k8s.io");
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);

        Assert.Equal("v5.channel.k8s.io", ws.SubProtocol);
        Assert.Equal([ExecProtocol.Stdout], frames[0].Data);
        Assert.Equal("hi\n", ExecTestHost.Channel(frames, ExecProtocol.Stdout));
        Assert.Equal("{\"metadata\":{},\"status\":\"Success\"}", ExecTestHost.Channel(frames, ExecProtocol.Error));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public async Task Exec_V5CatThenCloseStdin_EchoesInput()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(true, false, "cat"), deadline.Token, "v5.channel.k8s.io");
        await ExecTestHost.SendAsync(ws, ExecProtocol.Stdin, "line one\nline two\n", deadline.Token);
        await ExecTestHost.SendAsync(ws, ExecProtocol.Close, [ExecProtocol.Stdin], deadline.Token);
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);

        Assert.Equal("line one\nline two\n", ExecTestHost.Channel(frames, ExecProtocol.Stdout));
        Assert.Contains("\"Success\"", ExecTestHost.Channel(frames, ExecProtocol.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_V5ShExit3_NonZeroExitCodeStatus()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(false, false, "sh", "-c", "exit 3"), deadline.Token, "v5.channel.k8s.io");
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);
        var status = JsonNode.Parse(ExecTestHost.Channel(frames, ExecProtocol.Error))!;

        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        Assert.Equal("command terminated with non-zero exit code: command terminated with exit code 3", (string?)status["message"]);
        Assert.Equal("ExitCode", (string?)status["details"]!["causes"]![0]!["reason"]);
        Assert.Equal("3", (string?)status["details"]!["causes"]![0]!["message"]);
    }

    [Fact]
    public async Task Exec_TtyResizeThenSttySize_ReportsNewSize()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(true, true, "sh", "-c", "read x; stty size; echo TERM=$TERM"), deadline.Token, "v5.channel.k8s.io");
        await ExecTestHost.SendAsync(ws, ExecProtocol.Resize, "{\"Width\":132,\"Height\":43}", deadline.Token);
        await ExecTestHost.SendAsync(ws, ExecProtocol.Stdin, "go\r", deadline.Token);
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);
        var output = ExecTestHost.Channel(frames, ExecProtocol.Stdout);

        Assert.Contains("43 132\r\n", output, StringComparison.Ordinal);
        Assert.Contains("TERM=xterm-256color\r\n", output, StringComparison.Ordinal);
        Assert.Equal("", ExecTestHost.Channel(frames, ExecProtocol.Stderr));
        Assert.Contains("\"Success\"", ExecTestHost.Channel(frames, ExecProtocol.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_TtyControllingTerminal_IsAPseudoTerminal()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(false, true, "sh", "-c", "tty; stty size; ps -o stat= -p $$"), deadline.Token, "v5.channel.k8s.io");
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);
        var output = ExecTestHost.Channel(frames, ExecProtocol.Stdout);

        Assert.StartsWith("/dev/pts/", output, StringComparison.Ordinal);
        Assert.Contains("24 80\r\n", output, StringComparison.Ordinal);

        // "s": session leader, "+": in the terminal's foreground process group.
        Assert.Contains("s+", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_Distroless_EvenShIsMissing()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod("gcr.io/distroless/static-debian12:nonroot"));
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(false, false, "/bin/sh", "-c", "echo leaked"), deadline.Token, "v5.channel.k8s.io");
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);
        var status = JsonNode.Parse(ExecTestHost.Channel(frames, ExecProtocol.Error))!;

        Assert.Equal("", ExecTestHost.Channel(frames, ExecProtocol.Stdout));
        Assert.Equal(500, (int?)status["code"]);
        Assert.EndsWith("exec: \"/bin/sh\": stat /bin/sh: no such file or directory: unknown", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_Base64Protocol_TextFramesWithDigitAndBase64()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(true, false, "head", "-c", "5"), deadline.Token, "v4.base64.channel.k8s.io");
        await ws.SendAsync(Encoding.ASCII.GetBytes("0" + Convert.ToBase64String(Encoding.UTF8.GetBytes("abcdefgh"))), WebSocketMessageType.Text, true, deadline.Token);
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);

        Assert.Equal("v4.base64.channel.k8s.io", ws.SubProtocol);
        Assert.All(frames, f => Assert.Equal(WebSocketMessageType.Text, f.Type));
        Assert.Equal("1", Encoding.ASCII.GetString(frames[0].Data));
        var stdout = string.Concat(frames.Select(f => Encoding.ASCII.GetString(f.Data)).Where(t => t[0] == '1').Select(t => Encoding.UTF8.GetString(Convert.FromBase64String(t[1..]))));
        var error = frames.Select(f => Encoding.ASCII.GetString(f.Data)).Single(t => t[0] == '3');
        Assert.Equal("abcde", stdout);
        Assert.Equal("{\"metadata\":{},\"status\":\"Success\"}", Encoding.UTF8.GetString(Convert.FromBase64String(error[1..])));
    }

    [Fact]
    public async Task Exec_LegacyChannelProtocol_ErrorChannelCarriesPlainMessage()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(false, false, "sh", "-c", "exit 7"), deadline.Token, "channel.k8s.io");
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);

        Assert.Equal("command terminated with non-zero exit code: error executing command [sh -c exit 7], exit code 7", ExecTestHost.Channel(frames, ExecProtocol.Error));
    }

    [Fact]
    public async Task Exec_ContainerNotRunning_ContainerNotFoundOnErrorChannel()
    {
        var pod = ExecTestHost.Pod();
        pod["status"]!["phase"] = "Pending";
        pod["status"]!["containerStatuses"]![0]!["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } };
        await using var host = await ExecTestHost.StartAsync(pod);
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("exec", ExecTestHost.Query(false, false, "ls"), deadline.Token, "v5.channel.k8s.io");
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);
        var status = JsonNode.Parse(ExecTestHost.Channel(frames, ExecProtocol.Error))!;

        Assert.Equal("Internal error occurred: unable to upgrade connection: container not found (\"app\")", (string?)status["message"]);
    }

    [Fact]
    public async Task Attach_ContainerOutput_StreamsLinesThenSuccess()
    {
        static async IAsyncEnumerable<string> Output(string container)
        {
            await Task.Yield();
            yield return $"{container} started";
            yield return "serving";
        }

        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod(), (c, _) => Output(c));
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("attach", "container=app&stdout=true&stderr=true&stdin=true", deadline.Token, "v5.channel.k8s.io");
        await ExecTestHost.SendAsync(ws, ExecProtocol.Stdin, "ignored\n", deadline.Token);
        var frames = await ExecTestHost.ReadAllAsync(ws, deadline.Token);

        Assert.Equal("app started\nserving\n", ExecTestHost.Channel(frames, ExecProtocol.Stdout));
        Assert.Contains("\"Success\"", ExecTestHost.Channel(frames, ExecProtocol.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_NoContainerOutput_StaysOpenUntilClientCloses()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var deadline = ExecTestHost.Deadline();
        using var ws = await host.ConnectAsync("attach", "stdout=true&stdin=true", deadline.Token, "v5.channel.k8s.io");
        var buffer = new byte[16];
        var first = await ws.ReceiveAsync(buffer, deadline.Token);
        await ExecTestHost.SendAsync(ws, ExecProtocol.Stdin, "hello?\n", deadline.Token);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "", deadline.Token);

        Assert.Equal(1, first.Count);
        Assert.Equal(ExecProtocol.Stdout, buffer[0]);
        Assert.Equal(WebSocketState.Closed, ws.State);
    }
}
