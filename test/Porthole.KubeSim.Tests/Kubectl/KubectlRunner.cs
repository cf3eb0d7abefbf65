using System.Diagnostics;
using System.Text;

namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>Runs a real kubectl binary against the simulator's kubeconfig and captures its output.</summary>
public sealed class KubectlRunner
{
    private readonly string _binary;
    private readonly string _kubeconfig;
    private readonly string _home;

    public KubectlRunner(string binary, string kubeconfig)
    {
        _binary = binary;
        _kubeconfig = kubeconfig;
        _home = Directory.CreateTempSubdirectory("kubectl-home-").FullName;
    }

    public string Binary => _binary;

    /// <summary>
    /// Finds a kubectl binary by name (<c>kubectl.1.30</c>) in PORTHOLE_KUBECTL_DIR, on PATH, or beside
    /// the <c>kubectl</c> on PATH (a dispatcher whose real directory holds the versioned binaries).
    /// </summary>
    public static string Locate(string name)
    {
        var dirs = new List<string>();
        if (Environment.GetEnvironmentVariable("PORTHOLE_KUBECTL_DIR") is { Length: > 0 } configured)
        {
            dirs.Add(configured);
        }

        dirs.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        foreach (var dir in dirs.ToList())
        {
            var kubectl = Path.Combine(dir, "kubectl");
            if (File.Exists(kubectl))
            {
                var target = new FileInfo(kubectl).ResolveLinkTarget(returnFinalTarget: true);
                if (target is not null && Path.GetDirectoryName(target.FullName) is { } real)
                {
                    dirs.Add(real);
                }
            }
        }

        foreach (var dir in dirs)
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{name} not found on PATH or beside kubectl; the kubectl scenarios need kubectl 1.27 to 1.33 installed as kubectl.1.NN");
    }

    public IReadOnlyDictionary<string, string> Environment_ => new Dictionary<string, string>
    {
        ["KUBECONFIG"] = _kubeconfig,
        ["HOME"] = _home,
        ["KUBECACHEDIR"] = Path.Combine(_home, "cache"),
        ["NO_COLOR"] = "1",
    };

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>Runs kubectl with arguments, optional stdin, and a deadline; never throws on a non-zero exit.</summary>
    public async Task<Result> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, Func<string, bool>? stopWhen = null)
    {
        var psi = new ProcessStartInfo(_binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in Environment_)
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
                if (stopWhen?.Invoke(stdout.ToString()) == true)
                {
                    stopped.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        var exited = process.WaitForExitAsync(cts.Token);
        try
        {
            await Task.WhenAny(exited, stopped.Task.WaitAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            if (!stopped.Task.IsCompleted)
            {
                lock (stdout)
                {
                    return new Result(-1, stdout.ToString(), stderr + "\n(killed: deadline passed)");
                }
            }
        }
        else
        {
            await process.WaitForExitAsync();
        }

        lock (stdout)
        {
            return new Result(process.HasExited && stopWhen is null ? process.ExitCode : 0, stdout.ToString(), stderr.ToString());
        }
    }

    public Task<Result> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    /// <summary>Runs kubectl and asserts success, returning stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"{_binary} {string.Join(' ', args)} failed:\n{result}");
        return result.Stdout;
    }
}
