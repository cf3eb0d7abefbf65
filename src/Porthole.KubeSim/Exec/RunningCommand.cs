using System.Diagnostics;

namespace Porthole.KubeSim.Exec;

/// <summary>
/// A command started for an exec: on a pseudo-terminal (tty) or with redirected pipes, behind one
/// shape so the streaming code does not care which.
/// </summary>
internal sealed class RunningCommand : IDisposable
{
    private readonly Pty? _pty;
    private readonly Process? _process;
    private volatile bool _disposed;

    private RunningCommand(Pty pty)
    {
        _pty = pty;
        Output = pty.Master;
        Exited = pty.Exited;
    }

    private RunningCommand(Process process)
    {
        _process = process;
        Output = process.StandardOutput.BaseStream;
        ErrorOutput = process.StandardError.BaseStream;
        Exited = WaitAsync(process);
    }

    /// <summary>Stdout (with stderr merged in, for a terminal).</summary>
    public Stream Output { get; }

    /// <summary>Stderr; null for a terminal.</summary>
    public Stream? ErrorOutput { get; }

    public Task<int> Exited { get; }

    public static RunningCommand StartTerminal(string path, IReadOnlyList<string> argv, string cwd, IReadOnlyDictionary<string, string> env, ushort columns, ushort rows) =>
        new(Pty.Start(path, argv, cwd, env, columns, rows));

    public static RunningCommand StartPiped(string path, IReadOnlyList<string> argv, string cwd, IReadOnlyDictionary<string, string> env)
    {
        var info = new ProcessStartInfo(path)
        {
            WorkingDirectory = cwd,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {path}");
        return new RunningCommand(process);
    }

    public async Task WriteInputAsync(byte[] data, CancellationToken ct)
    {
        var input = _pty?.Master ?? _process!.StandardInput.BaseStream;
        await input.WriteAsync(data, ct).ConfigureAwait(false);
        await input.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>End of input: the pipe is closed; a terminal gets end-of-file (Ctrl-D) typed.</summary>
    public async Task CloseInputAsync(CancellationToken ct)
    {
        if (_pty is not null)
        {
            await _pty.Master.WriteAsync(new byte[] { 4 }, ct).ConfigureAwait(false);
        }
        else
        {
            _process!.StandardInput.Close();
        }
    }

    public void Resize(ushort columns, ushort rows) => _pty?.Resize(columns, rows);

    /// <summary>Kills the command (and, on a terminal, everything in its process group).</summary>
    public void Kill()
    {
        if (_disposed)
        {
            return;
        }

        if (_pty is not null)
        {
            _pty.Kill();
        }
        else if (!_process!.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>After the main process exited: ends what it left running on the terminal, so the output reaches its end.</summary>
    public void EndLeftovers() => _pty?.Kill();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (_pty is not null)
        {
            _disposed = true;
            _pty.Dispose();
            return;
        }

        Kill();
        _disposed = true;
        _process!.Dispose();
    }

    private static async Task<int> WaitAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }
}
