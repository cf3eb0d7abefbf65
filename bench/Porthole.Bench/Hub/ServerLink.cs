using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Porthole.Bench.Hub;

/// <summary>The bench's end of <see cref="HubServer"/>: starts it as a child process and reads its lines.</summary>
internal sealed class ServerLink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _reading;
    private readonly TaskCompletionSource<(string Hub, string Raw)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _peakHeap;
    private long _peakWorkingSet;

    private ServerLink(Process process)
    {
        _process = process;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Write time (Stopwatch timestamp) of each resourceVersion written since the last <see cref="StartWindow"/>.</summary>
    public ConcurrentDictionary<long, long> Writes { get; } = new();

    public (long Heap, long WorkingSet) Memory { get; private set; }

    public (long Cache, long KubeSim) Watches { get; private set; }

    public (long Heap, long WorkingSet) Peak => (Interlocked.Read(ref _peakHeap), Interlocked.Read(ref _peakWorkingSet));

    public static ServerLink Start(double churn, long queueBytes)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerLink).Assembly.Location);
        }

        foreach (var arg in new[] { "hub-server", "--churn", churn.ToString(CultureInfo.InvariantCulture), "--queue-bytes", queueBytes.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        return new ServerLink(Process.Start(start) ?? throw new InvalidOperationException("cannot start the server process"));
    }

    public int ProcessId => _process.Id;

    public Task<(string Hub, string Raw)> ReadyAsync => _ready.Task.WaitAsync(TimeSpan.FromMinutes(3));

    /// <summary>Forgets earlier writes and memory peaks.</summary>
    public void StartWindow()
    {
        Writes.Clear();
        Interlocked.Exchange(ref _peakHeap, 0);
        Interlocked.Exchange(ref _peakWorkingSet, 0);
    }

    /// <summary>Sends a command and waits for the reply line (<c>stopped ...</c>, <c>raw-done</c>).</summary>
    public async Task<string> AskAsync(string command)
    {
        _reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await _reply.Task.WaitAsync(TimeSpan.FromMinutes(10));
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ');
            long N(int i) => long.Parse(words[i], CultureInfo.InvariantCulture);
            switch (words[0])
            {
                case "w":
                    Writes[N(1)] = N(2);
                    break;
                case "mem":
                    Memory = (N(1), N(2));
                    Max(ref _peakHeap, N(1));
                    Max(ref _peakWorkingSet, N(2));
                    break;
                case "watches":
                    Watches = (N(1), N(2));
                    break;
                case "ready":
                    _ready.TrySetResult((words[1], words[2]));
                    break;
                default:
                    _reply.TrySetResult(line);
                    break;
            }
        }

        _ready.TrySetException(new InvalidOperationException("the server process ended"));
        _reply.TrySetException(new InvalidOperationException("the server process ended"));
    }

    private static void Max(ref long field, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref field)) && Interlocked.CompareExchange(ref field, value, seen) != seen)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }
}
