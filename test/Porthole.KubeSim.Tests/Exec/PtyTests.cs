using System.Text;
using Porthole.KubeSim.Exec;

namespace Porthole.KubeSim.Tests.Exec;

public sealed class PtyTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PATH"] = "/usr/bin:/bin", ["TERM"] = "xterm-256color" };

    [Fact]
    public async Task Start_SttySizeAfterResize_PrintsNewSizeAndExitCode()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var pty = Pty.Start("/bin/sh", ["sh", "-c", "stty size; read x; stty size; exit 5"], Path.GetTempPath(), Env, columns: 100, rows: 40);
        var output = new StringBuilder();
        var buffer = new byte[4096];
        while (!output.ToString().Contains("40 100", StringComparison.Ordinal))
        {
            output.Append(Encoding.UTF8.GetString(buffer, 0, await pty.Master.ReadAsync(buffer, deadline.Token)));
        }

        pty.Resize(120, 50);
        await pty.Master.WriteAsync("\n"u8.ToArray(), deadline.Token);
        int n;
        while ((n = await pty.Master.ReadAsync(buffer, deadline.Token)) > 0)
        {
            output.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        Assert.Contains("50 120\r\n", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(5, await pty.Exited.WaitAsync(deadline.Token));
    }

    [Fact]
    public async Task Dispose_RunningChild_KilledAndReaped()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var pty = Pty.Start("/bin/sh", ["sh", "-c", "sleep 300"], Path.GetTempPath(), Env);
        var pid = pty.ProcessId;
        Assert.True(Directory.Exists($"/proc/{pid}"));

        pty.Dispose();

        // Killed by SIGKILL, and reaped: no zombie entry left behind.
        Assert.Equal(128 + 9, await pty.Exited.WaitAsync(deadline.Token));
        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.Equal(0, await pty.Master.ReadAsync(new byte[16], deadline.Token));
    }

    [Fact]
    public async Task Start_Child_IsSessionLeaderWithTerminal()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var pty = Pty.Start("/bin/sh", ["sh", "-c", "test -t 0 && test -t 1 && test -t 2 && echo tty-ok; echo sid=$(ps -o sid= -p $$ | tr -d ' ') pid=$$"], Path.GetTempPath(), Env);
        using var reader = new StreamReader(pty.Master);
        var output = await reader.ReadToEndAsync(deadline.Token);

        Assert.Contains("tty-ok", output, StringComparison.Ordinal);
        Assert.Contains($"sid={pty.ProcessId} pid={pty.ProcessId}", output, StringComparison.Ordinal);
        Assert.Equal(0, await pty.Exited.WaitAsync(deadline.Token));
    }
}
