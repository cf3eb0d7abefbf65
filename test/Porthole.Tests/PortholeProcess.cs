using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Porthole.Tests;

/// <summary>
/// The real <c>porthole</c> executable in a child process, with a fresh HOME and no kubeconfig,
/// its stdout collected line by line; the listening URL is read from its log. By default the
/// build's porthole.dll; <c>executable</c> runs another (a published apphost).
/// </summary>
public sealed partial class PortholeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _home = Directory.CreateTempSubdirectory("porthole-home-").FullName;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;
    private readonly Task<string> _stderr;

    public PortholeProcess(IReadOnlyDictionary<string, string> environment, string? executable = null)
    {
        var start = new ProcessStartInfo(executable ?? "dotnet", executable is null ? [Path.Combine(AppContext.BaseDirectory, "porthole.dll")] : [])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["HOME"] = _home;
        start.Environment["KUBECONFIG"] = "";
        start.Environment["PORTHOLE_PORT"] = "0";
        start.Environment["PORTHOLE_DATA_DIR"] = Path.Combine(_home, "data");
        start.Environment["PORTHOLE_DEMO"] = "false";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _stderr = _process.StandardError.ReadToEndAsync();
        _reader = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                Output.Enqueue(line);
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    _listening.TrySetResult(new Uri(match.Groups[1].Value));
                }
            }

            _listening.TrySetException(new InvalidOperationException("porthole exited before listening"));
        });
    }

    public ConcurrentQueue<string> Output { get; } = new();

    public string Log => string.Join('\n', Output);

    public int ExitCode => _process.ExitCode;

    /// <summary>The URL from the "Listening on" log line.</summary>
    public async Task<Uri> ListeningAsync()
    {
        try
        {
            return await _listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"no 'Listening on' line: {Log}\n{(_process.HasExited ? await _stderr : "")}", e);
        }
    }

    public async Task SignalAsync(string signal = "TERM")
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process and its output to end.</summary>
    public async Task ExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cts.Token);
        await _reader.WaitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        await _stderr;
        _process.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [GeneratedRegex("Listening on (http://127\\.0\\.0\\.1:\\d+)")]
    private static partial Regex ListeningLine();
}
