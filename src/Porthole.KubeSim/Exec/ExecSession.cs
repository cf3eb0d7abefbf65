using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Exec;

/// <summary>One upgraded exec or attach: connects the client's channels to the command and ends with the status.</summary>
internal sealed partial class ExecSession
{
    private readonly ExecConnection _conn;
    private readonly ExecOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationToken _aborted;
    private readonly List<byte> _pendingResize = [];

    public ExecSession(ExecConnection conn, ExecOptions options, TimeProvider time, CancellationToken aborted)
    {
        _conn = conn;
        _options = options;
        _time = time;
        _aborted = aborted;
    }

    public async Task RunAsync(JsonObject pod, ContainerRuntime runtime, Func<string, CancellationToken, IAsyncEnumerable<string>>? containerOutput)
    {
        try
        {
            // The real server's first frame: empty, on the lowest writable channel.
            var first = _options.Stdout ? ExecProtocol.Stdout : _options.Stderr ? ExecProtocol.Stderr : ExecProtocol.Error;
            await _conn.SendAsync(first, ReadOnlyMemory<byte>.Empty, _aborted).ConfigureAwait(false);
            if (!ExecOptions.IsRunning(pod, _options.Container))
            {
                await FinishAsync(ExecStatus.ContainerNotFound(_options.Container), Task.CompletedTask).ConfigureAwait(false);
                return;
            }

            if (_options.Attach)
            {
                await AttachAsync(containerOutput).ConfigureAwait(false);
            }
            else
            {
                await ExecAsync(pod, runtime).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away; everything started has been stopped by the callee.
        }
    }

    private async Task ExecAsync(JsonObject pod, ContainerRuntime runtime)
    {
        var image = ContainerRuntime.FindContainer(pod, _options.Container)?.Str("image") ?? "";
        var (path, error) = runtime.Resolve(image, _options.Command[0]);
        if (path is null)
        {
            await FinishAsync(ExecStatus.ExecutableMissing(error!), Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        var env = runtime.EnvironmentFor(pod, _options.Container, _options.Tty);
        var cwd = runtime.WorkingDirectory(pod.Namespace(), pod.Name(), _options.Container);
        RunningCommand command;
        try
        {
            command = _options.Tty
                ? RunningCommand.StartTerminal(path, _options.Command, cwd, env)
                : RunningCommand.StartPiped(path, _options.Command, cwd, env);
        }
        catch (Win32Exception e)
        {
            await FinishAsync(ExecStatus.ExecutableMissing($"exec: \"{_options.Command[0]}\": {e.Message}"), Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        using (command)
        {
            await StreamAsync(command).ConfigureAwait(false);
        }
    }

    private async Task StreamAsync(RunningCommand command)
    {
        if (!_options.Stdin && !_options.Tty)
        {
            await command.CloseInputAsync(_aborted).ConfigureAwait(false);
        }

        var receive = _conn.ReceiveAsync((channel, data) => OnFrameAsync(command, channel, data, _aborted), _aborted);

        // A client that leaves before the command ends takes the command with it.
        var watchdog = receive.ContinueWith(_ => command.Kill(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var stdout = PumpAsync(command.Output, _options.Stdout ? ExecProtocol.Stdout : null, command, _aborted);
        var stderr = command.ErrorOutput is null
            ? Task.CompletedTask
            : PumpAsync(command.ErrorOutput, _options.Stderr ? ExecProtocol.Stderr : null, command, _aborted);
        var code = await command.Exited.ConfigureAwait(false);
        command.EndLeftovers();
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        var status = code == 0 ? ExecStatus.Success() : ExecStatus.NonZeroExit(code, _options.Command, _conn.Protocol.Version);
        if (!receive.IsCompleted)
        {
            // The receive loop ends with the connection; the command is gone by then.
            await FinishAsync(status, receive).ConfigureAwait(false);
        }
        else
        {
            await watchdog.ConfigureAwait(false);
        }
    }

    private async Task OnFrameAsync(RunningCommand command, byte channel, byte[] data, CancellationToken ct)
    {
        try
        {
            switch (channel)
            {
                case ExecProtocol.Stdin when _options.Stdin && data.Length > 0:
                    await command.WriteInputAsync(data, ct).ConfigureAwait(false);
                    break;
                case ExecProtocol.Resize:
                    foreach (var (width, height) in ReadResizes(data))
                    {
                        command.Resize(width, height);
                    }

                    break;
                case ExecProtocol.Close when _conn.Protocol.SupportsClose && data.Length > 0 && data[0] == ExecProtocol.Stdin && _options.Stdin:
                    await command.CloseInputAsync(ct).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The command no longer reads its input (it exited); the rest of the input is dropped.
        }
    }

    private async Task PumpAsync(Stream source, byte? channel, RunningCommand command, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024];
        var sending = channel is not null;
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                if (sending)
                {
                    await _conn.SendAsync(channel!.Value, buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
        {
            command.Kill();
        }
    }

    private async Task FinishAsync(JsonObject status, Task receive)
    {
        await _conn.SendStatusAsync(status, _aborted).ConfigureAwait(false);
        if (receive.IsCompleted)
        {
            receive = _conn.ReceiveAsync((_, _) => Task.CompletedTask, _aborted);
        }

        await _conn.CloseAsync(receive, _time).ConfigureAwait(false);
    }

    /// <summary>Resize messages are a stream of JSON objects {"Width":w,"Height":h}, possibly split across frames.</summary>
    private List<(ushort Width, ushort Height)> ReadResizes(byte[] data)
    {
        _pendingResize.AddRange(data);
        var sizes = new List<(ushort, ushort)>();
        try
        {
            while (_pendingResize.Count > 0)
            {
                var bytes = _pendingResize.ToArray();
                var reader = new Utf8JsonReader(bytes, isFinalBlock: false, default);
                if (!reader.Read() || !reader.TrySkip())
                {
                    break;
                }

                var length = (int)reader.BytesConsumed;
                using var doc = JsonDocument.Parse(bytes.AsMemory(0, length));
                sizes.Add((Dimension(doc.RootElement, "Width"), Dimension(doc.RootElement, "Height")));
                _pendingResize.RemoveRange(0, length);
            }
        }
        catch (JsonException)
        {
            _pendingResize.Clear();
        }

        return sizes;
    }

    /// <summary>Go's JSON decoding matches field names case-insensitively.</summary>
    private static ushort Dimension(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        foreach (var p in root.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.TryGetUInt16(out var v))
            {
                return v;
            }
        }

        return 0;
    }
}
