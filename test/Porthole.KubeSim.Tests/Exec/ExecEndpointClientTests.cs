using System.Text;
using k8s;
using k8s.Autorest;

namespace Porthole.KubeSim.Tests.Exec;

/// <summary>The official KubernetesClient (v4 and v5 over WebSockets) against a real Kestrel server.</summary>
public sealed class ExecEndpointClientTests
{
    [Fact]
    public async Task NamespacedPodExecAsync_Echo_ReturnsOutputAndExitCodeZero()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var client = host.Client();
        using var deadline = ExecTestHost.Deadline();
        string? output = null;
        var code = await client.NamespacedPodExecAsync("web", "default", "app", ["echo", "hello", "kubesim"], false, async (_, stdout, _) =>
        {
            using var reader = new StreamReader(stdout);
            output = await reader.ReadToEndAsync(deadline.Token);
        }, deadline.Token);

        Assert.Equal(0, code);
        Assert.Equal("hello kubesim\n", output);
    }

    [Fact]
    public async Task NamespacedPodExecAsync_ShExit3_ReturnsExitCode3()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var client = host.Client();
        using var deadline = ExecTestHost.Deadline();
        string? error = null;
        var code = await client.NamespacedPodExecAsync("web", "default", "app", ["sh", "-c", "echo oops >&2; exit 3"], false, async (_, _, stderr) =>
        {
            using var reader = new StreamReader(stderr);
            error = await reader.ReadToEndAsync(deadline.Token);
        }, deadline.Token);

        Assert.Equal(3, code);
        Assert.Equal("oops\n", error);
    }

    [Fact]
    public async Task NamespacedPodExecAsync_BashOnAlpine_ThrowsWithContainerdMessage()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod("alpine:3.20"));
        using var client = host.Client();
        using var deadline = ExecTestHost.Deadline();
        string? output = null;
        var e = await Assert.ThrowsAsync<KubernetesException>(() => client.NamespacedPodExecAsync("web", "default", "app", ["bash"], false, async (_, stdout, _) =>
        {
            using var reader = new StreamReader(stdout);
            output = await reader.ReadToEndAsync(deadline.Token);
        }, deadline.Token));

        Assert.Equal("InternalError", e.Status.Reason);
        Assert.Equal(500, e.Status.Code);
        Assert.StartsWith("Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"", e.Status.Message, StringComparison.Ordinal);
        Assert.EndsWith("\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"bash\": executable file not found in $PATH: unknown", e.Status.Message, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task MuxedStreamNamespacedPodExecAsync_V4StdinToHead_EchoesLine()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var client = host.Client();
        using var deadline = ExecTestHost.Deadline();
        using var muxed = await client.MuxedStreamNamespacedPodExecAsync("web", "default", ["head", "-n", "1"], "app", tty: false, cancellationToken: deadline.Token);
        using var stdin = muxed.GetStream(null, ChannelIndex.StdIn);
        using var stdout = muxed.GetStream(ChannelIndex.StdOut, null);
        using var error = muxed.GetStream(ChannelIndex.Error, null);
        muxed.Start();
        await stdin.WriteAsync(Encoding.UTF8.GetBytes("piped line\nnot read\n"), deadline.Token);
        using var reader = new StreamReader(stdout);
        using var errorReader = new StreamReader(error);

        Assert.Equal("piped line\n", await reader.ReadToEndAsync(deadline.Token));
        Assert.Equal("{\"metadata\":{},\"status\":\"Success\"}", await errorReader.ReadToEndAsync(deadline.Token));
    }

    [Fact]
    public async Task MuxedStreamNamespacedPodExecAsync_V5CatWithStdinClosed_EchoesAllInput()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var client = host.Client();
        using var deadline = ExecTestHost.Deadline();
        var ws = await client.WebSocketNamespacedPodExecAsync("web", "default", ["cat"], "app", true, true, true, false, WebSocketProtocol.V5BinaryWebsocketProtocol, null, deadline.Token);
        Assert.Equal("v5.channel.k8s.io", ws.SubProtocol);
        using var muxed = new StreamDemuxer(ws, StreamType.RemoteCommand);
        using var stdin = muxed.GetStream(null, ChannelIndex.StdIn);
        using var stdout = muxed.GetStream(ChannelIndex.StdOut, null);
        muxed.Start();
        await stdin.WriteAsync(Encoding.UTF8.GetBytes("one\ntwo\n"), deadline.Token);
        await muxed.CloseChannel(ChannelIndex.StdIn, deadline.Token);
        using var reader = new StreamReader(stdout);

        Assert.Equal("one\ntwo\n", await reader.ReadToEndAsync(deadline.Token));
    }

    [Fact]
    public async Task NamespacedPodExecAsync_Env_HasHostnameSpecEnvAndHome()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        using var client = host.Client();
        using var deadline = ExecTestHost.Deadline();
        string? output = null;
        var code = await client.NamespacedPodExecAsync("web", "default", "app", ["sh", "-c", "echo \"$HOSTNAME|$MESSAGE|$POD_NAMESPACE|$POD_IP|$HOME|$(pwd)|${TERM:-none}\""], false, async (_, stdout, _) =>
        {
            using var reader = new StreamReader(stdout);
            output = await reader.ReadToEndAsync(deadline.Token);
        }, deadline.Token);

        var home = Path.Combine(host.Runtime.Root, "default", "web", "app");
        Assert.Equal(0, code);
        Assert.Equal($"web|hello world|default|10.244.0.7|{home}|{home}|none\n", output);
    }
}
