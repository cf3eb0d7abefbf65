using System.Text;
using Porthole.KubeSim.Exec;

namespace Porthole.KubeSim.Tests.Kubectl;

public abstract partial class KubectlScenarioTests
{
    /// <summary>
    /// kubectl exec -it from a terminal that `script` provides, sized by stty first: the remote
    /// terminal has the same size and is a real tty.
    /// </summary>
    [Fact]
    public async Task ExecInteractiveTty_UnderScript_KeepsTheTerminalSize()
    {
        var (k, ns) = await SetupAsync("script");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");

        var command = $"stty cols 101 rows 31; {k.Binary} exec -it web -n {ns} -- sh -c 'stty size; tty; exit 5'";
        var script = new KubectlRunner("/usr/bin/script", Sim.KubeconfigPath);
        var result = await script.RunAsync(["-q", "-e", "-c", command, "/dev/null"]);

        Assert.Equal(5, result.ExitCode);
        // (script forwards its stdin's end as a NUL the remote terminal echoes as ^@.)
        Assert.Matches(@"(?m)^(\^@)?31 101$", result.Stdout);
        Assert.Matches(@"/dev/pts/\d+", result.Stdout);
        var pod = await GetJsonAsync(k, "get", "pod", "web", "-n", ns);
        Assert.Equal("Running", (string?)pod["status"]!["phase"]);
    }

    /// <summary>
    /// kubectl exec -it on a real pseudo-terminal: the remote shell sees the terminal's size,
    /// and a resize of the local terminal (SIGWINCH to kubectl) reaches the remote one.
    /// </summary>
    [Fact]
    public async Task ExecInteractiveTty_ResizeReachesTheRemoteTerminal()
    {
        var (k, ns) = await SetupAsync("tty");
        await k.OkAsync("create", "-f", await WriteAsync(Manifest(PodYaml, ns)));
        await WaitRunningAsync(k, ns, "web");

        var env = new Dictionary<string, string>(k.Environment_) { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin", ["TERM"] = "xterm" };
        using var pty = Pty.Start(k.Binary, [k.Binary, "exec", "-it", "web", "-n", ns, "--", "sh"], Path.GetTempPath(), env, columns: 80, rows: 24);
        var screen = new StringBuilder();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = await pty.Master.ReadAsync(buffer, cts.Token)) > 0)
                {
                    lock (screen)
                    {
                        screen.Append(Encoding.UTF8.GetString(buffer, 0, n));
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The terminal closes when kubectl exits.
            }
        });

        string Screen()
        {
            lock (screen)
            {
                return screen.ToString();
            }
        }

        async Task TypeAsync(string text) => await pty.Master.WriteAsync(Encoding.UTF8.GetBytes(text), cts.Token);

        await TypeAsync("stty size\r");
        await Eventually.GetAsync(() => Task.FromResult(Screen()), s => s.Contains("24 80", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "initial size");
        pty.Resize(100, 30);
        await Eventually.GetAsync(
            async () =>
            {
                await TypeAsync("stty size\r");
                return Screen();
            },
            s => s.Contains("30 100", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "resized terminal");
        await TypeAsync("exit 0\r");
        Assert.Equal(0, await pty.Exited.WaitAsync(cts.Token));
        await cts.CancelAsync();
        await reader;
    }
}
