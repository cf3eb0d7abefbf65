using System.Text;
using System.Threading.Channels;

namespace Porthole.Terminal;

/// <summary>
/// A running terminal: input and resize in, <see cref="Events"/> out (output, toasts, then one
/// final Exited, Ended or Failed). It ends by itself after its lifetime or when the user has not
/// typed for the idle timeout (<see cref="TerminalLimits"/>), each announced by a toast before;
/// disposing it ends the exec (the kubelet kills the process).
/// </summary>
public sealed partial class TerminalSession : IAsyncDisposable
{
    private readonly ExecAttempt _exec;
    private readonly AsciicastRecorder? _recorder;
    private readonly Channel<TerminalEvent> _events = Channel.CreateBounded<TerminalEvent>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = false });
    private readonly Task _pump;

    internal TerminalSession(ExecAttempt exec, IReadOnlyList<string> command, IReadOnlyList<byte[]> held, AsciicastRecorder? recorder, string recordingId, TimeProvider time, TerminalLimits limits)
    {
        _exec = exec;
        _recorder = recorder;
        _time = time;
        _limits = limits;
        Command = command;
        RecordingId = recorder is null ? null : recordingId;
        _lastInput = time.GetTimestamp();
        StartTimers();
        _pump = Task.Run(() => PumpAsync(held));
    }

    /// <summary>The command that runs (after the shell detection).</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>The id of the recording (GET /api/v1/terminal/recordings/{id}), null when none is written.</summary>
    public string? RecordingId { get; }

    public ChannelReader<TerminalEvent> Events => _events.Reader;

    /// <summary>Types into the terminal; this is what restarts the idle timeout.</summary>
    public Task SendInputAsync(string data, CancellationToken ct)
    {
        Touch();
        return _exec.WriteInputAsync(Encoding.UTF8.GetBytes(data), ct);
    }

    public async Task ResizeAsync(int cols, int rows, CancellationToken ct)
    {
        await _exec.ResizeAsync(cols, rows, ct);
        if (_recorder is not null)
        {
            await _recorder.ResizeAsync(cols, rows);
        }
    }

    private async Task PumpAsync(IReadOnlyList<byte[]> held)
    {
        var decoder = new UTF8Encoding(false).GetDecoder();
        TerminalEvent last = new TerminalEvent.Failed(ExecStatus.Lost.Message);
        try
        {
            foreach (var bytes in held)
            {
                await EmitAsync(decoder, bytes, flush: false);
            }

            await foreach (var frame in _exec.Frames.ReadAllAsync())
            {
                if (frame.Output is { } output)
                {
                    await EmitAsync(decoder, output, flush: false);
                }
                else if (frame.Status is { } status)
                {
                    await EmitAsync(decoder, [], flush: true);
                    last = Volatile.Read(ref _ended) is { } ended ? ended
                        : status.Success ? new TerminalEvent.Exited(0)
                        : status.ExitCode is { } code ? new TerminalEvent.Exited(code)
                        : new TerminalEvent.Failed(status.Message);
                }
            }
        }
        catch (ChannelClosedException)
        {
            // The consumer went away.
        }

        _events.Writer.TryWrite(last);
        _events.Writer.TryComplete();
    }

    private async Task EmitAsync(Decoder decoder, byte[] bytes, bool flush)
    {
        var chars = new char[decoder.GetCharCount(bytes, flush)];
        var n = decoder.GetChars(bytes, chars, flush);
        if (n == 0)
        {
            return;
        }

        var text = new string(chars, 0, n);
        if (_recorder is not null)
        {
            await _recorder.OutputAsync(text);
        }

        await _events.Writer.WriteAsync(new TerminalEvent.Output(text));
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeTimersAsync();
        await _exec.DisposeAsync();
        _events.Writer.TryComplete();
        await _pump;
        if (_recorder is not null)
        {
            await _recorder.DisposeAsync();
        }
    }
}
