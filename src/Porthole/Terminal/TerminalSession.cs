using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Porthole.Terminal;

/// <summary>
/// A running terminal: input and resize in, <see cref="Events"/> out (output, toasts, then one
/// final Exited or Failed). It ends by itself after its lifetime, with a toast
/// <see cref="WarningLead"/> before; disposing it ends the exec (the kubelet kills the process).
/// </summary>
public sealed class TerminalSession : IAsyncDisposable
{
    /// <summary>How long before the end of its lifetime a terminal warns (at most a tenth of the lifetime).</summary>
    public static readonly TimeSpan WarningLead = TimeSpan.FromMinutes(5);

    private readonly IDisposable _client;
    private readonly ExecAttempt _exec;
    private readonly AsciicastRecorder? _recorder;
    private readonly Channel<TerminalEvent> _events = Channel.CreateBounded<TerminalEvent>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = false });
    private readonly ITimer _warning;
    private readonly ITimer _end;
    private readonly Task _pump;
    private readonly TimeSpan _lifetime;
    private volatile string? _endReason;

    internal TerminalSession(IDisposable client, ExecAttempt exec, IReadOnlyList<string> command, IReadOnlyList<byte[]> held, AsciicastRecorder? recorder, TimeProvider time, TimeSpan lifetime)
    {
        _client = client;
        _exec = exec;
        _recorder = recorder;
        _lifetime = lifetime;
        Command = command;
        var lead = TimeSpan.FromTicks(Math.Min(WarningLead.Ticks, lifetime.Ticks / 10));
        _warning = time.CreateTimer(_ => Warn(lead), null, lifetime - lead, Timeout.InfiniteTimeSpan);
        _end = time.CreateTimer(_ => _ = EndAsync(), null, lifetime, Timeout.InfiniteTimeSpan);
        _pump = Task.Run(() => PumpAsync(held));
    }

    /// <summary>The command that runs (after the bash → sh fallback).</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>Where the asciicast recording is written, if any.</summary>
    public string? RecordingPath => _recorder?.Path;

    public ChannelReader<TerminalEvent> Events => _events.Reader;

    public Task SendInputAsync(string data, CancellationToken ct) => _exec.WriteInputAsync(Encoding.UTF8.GetBytes(data), ct);

    public async Task ResizeAsync(int cols, int rows, CancellationToken ct)
    {
        await _exec.ResizeAsync(cols, rows, ct);
        if (_recorder is not null)
        {
            await _recorder.ResizeAsync(cols, rows);
        }
    }

    private void Warn(TimeSpan lead) => _events.Writer.TryWrite(new TerminalEvent.Toast(
        $"This terminal session closes in {Describe(lead)}: its maximum lifetime is {Describe(_lifetime)}."));

    private async Task EndAsync()
    {
        _endReason = $"the terminal session reached its maximum lifetime of {Describe(_lifetime)}";
        await _exec.DisposeAsync();
    }

    private static string Describe(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes:0} min"
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

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
                    last = _endReason is { } reason ? new TerminalEvent.Failed(reason)
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
        await _warning.DisposeAsync();
        await _end.DisposeAsync();
        await _exec.DisposeAsync();
        _events.Writer.TryComplete();
        await _pump;
        _client.Dispose();
        if (_recorder is not null)
        {
            await _recorder.DisposeAsync();
        }
    }
}
