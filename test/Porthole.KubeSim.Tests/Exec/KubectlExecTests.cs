namespace Porthole.KubeSim.Tests.Exec;

/// <summary>The real kubectl (SPDY/3.1 before 1.30, WebSocket v5 since) against a real Kestrel server.</summary>
public sealed class KubectlExecTests
{
    [Theory]
    [InlineData("1.27")]
    [InlineData("1.29")]
    [InlineData("1.30")]
    [InlineData("1.33")]
    public async Task KubectlExec_OutputAndExitCode_LikeARealCluster(string version)
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        var (code, stdout, stderr) = await host.KubectlAsync(version, "", "exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 4");

        Assert.Equal(4, code);
        Assert.Equal("out\n", stdout);
        Assert.Equal("err\ncommand terminated with exit code 4\n", stderr);
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.30")]
    [InlineData("1.33")]
    public async Task KubectlExecStdin_Cat_EchoesInputAndEnds(string version)
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        var (code, stdout, stderr) = await host.KubectlAsync(version, "from kubectl\n", "exec", "-i", "web", "--", "cat");

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Equal("from kubectl\n", stdout);
    }

    [Fact]
    public async Task KubectlExec_BashOnBusybox_InternalErrorExit1()
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod("busybox:1.36"));
        var (code, stdout, stderr) = await host.KubectlAsync("1.31", "", "exec", "web", "--", "bash", "-c", "echo leaked");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"", stderr, StringComparison.Ordinal);
        Assert.EndsWith("OCI runtime exec failed: exec failed: unable to start container process: exec: \"bash\": executable file not found in $PATH: unknown\n", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.28")]
    [InlineData("1.30")]
    [InlineData("1.33")]
    public async Task KubectlExecTty_SttySize_SeesTheClientsTerminalSize(string version)
    {
        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod());
        var (code, stdout, _) = await host.KubectlAsync(version, "", (77, 21), "exec", "-it", "web", "--", "sh", "-c", "stty size; tty");

        Assert.Equal(0, code);
        Assert.Contains("21 77\r\n", stdout, StringComparison.Ordinal);
        Assert.Contains("/dev/pts/", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.28")]
    [InlineData("1.32")]
    public async Task KubectlAttach_ContainerOutput_PrintsLinesAndEnds(string version)
    {
        static async IAsyncEnumerable<string> Output()
        {
            await Task.Yield();
            yield return "listening on :8080";
            yield return "GET / 200";
        }

        await using var host = await ExecTestHost.StartAsync(ExecTestHost.Pod(), (_, _) => Output());
        var (code, stdout, stderr) = await host.KubectlAsync(version, "", "attach", "web", "-c", "app");

        Assert.Equal("If you don't see a command prompt, try pressing enter.\n", stderr);
        Assert.Equal(0, code);
        Assert.Equal("listening on :8080\nGET / 200\n", stdout);
    }
}
