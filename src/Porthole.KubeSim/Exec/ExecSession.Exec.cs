using System.ComponentModel;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Exec;

/// <summary>Exec: a real process in the container's directory and environment, its streams on the channels.</summary>
internal sealed partial class ExecSession
{
    /// <summary>
    /// How long a terminal session waits for the client's first size (kubectl sends it at once) before
    /// starting, so the command starts at the client's size; input sent meanwhile waits for the start.
    /// </summary>
    private static readonly TimeSpan InitialResizeWait = TimeSpan.FromSeconds(1.5);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _inputLock = new(1, 1);
    private readonly List<byte[]> _pendingInput = [];
    private bool _pendingClose;
    private readonly TaskCompletionSource _firstResize = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunningCommand? _command;
    private (ushort Columns, ushort Rows) _size = (80, 24);

    private async Task ExecAsync(JsonObject pod, ContainerRuntime runtime)
    {
        var image = ContainerRuntime.FindContainer(pod, _options.Container)?.Str("image") ?? "";
        var resolved = runtime.Resolve(image, _argv);
        if (resolved.Path is not { } path)
        {
            var missing = resolved.Windows ? ExecStatus.WindowsExecutableMissing(resolved.Error!) : ExecStatus.ExecutableMissing(resolved.Error!);
            await FinishAsync(missing, Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        var env = runtime.EnvironmentFor(pod, _options.Container, _options.Tty);
        foreach (var (name, value) in resolved.Environment)
        {
            env[name] = value;
        }

        var cwd = runtime.WorkingDirectory(pod.Namespace(), pod.Name(), _options.Container);

        // Frames are read from the start: a terminal begins at the size the client sends first.
        var receive = _conn.ReceiveAsync(OnFrameAsync, _aborted);
        if (_options.Tty)
        {
            await Task.WhenAny(_firstResize.Task, receive, Task.Delay(InitialResizeWait, _time)).ConfigureAwait(false);
        }

        RunningCommand command;
        try
        {
            lock (_gate)
            {
                command = _options.Tty
                    ? RunningCommand.StartTerminal(path, resolved.Argv, cwd, env, _size.Columns, _size.Rows)
                    : RunningCommand.StartPiped(path, resolved.Argv, cwd, env);
                _command = command;
            }
        }
        catch (Win32Exception e)
        {
            await FinishAsync(ExecStatus.ExecutableMissing($"exec: \"{_argv[0]}\": {e.Message}"), receive).ConfigureAwait(false);
            return;
        }

        using (command)
        {
            await StreamAsync(command, receive).ConfigureAwait(false);
        }
    }

    private async Task StreamAsync(RunningCommand command, Task receive)
    {
        if (!_options.Stdin && !_options.Tty)
        {
            await command.CloseInputAsync(_aborted).ConfigureAwait(false);
        }

        // A client that leaves before the command ends takes the command with it.
        var watchdog = receive.ContinueWith(_ => command.Kill(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var stdout = PumpAsync(command.Output, _options.Stdout ? ExecProtocol.Stdout : null, command);
        var stderr = command.ErrorOutput is null
            ? Task.CompletedTask
            : PumpAsync(command.ErrorOutput, _options.Stderr ? ExecProtocol.Stderr : null, command);
        await DeliverInputAsync(command, null, close: false).ConfigureAwait(false);
        var code = await command.Exited.ConfigureAwait(false);
        command.EndLeftovers();
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        var status = code == 0 ? ExecStatus.Success() : ExecStatus.NonZeroExit(code, _argv, _conn.Protocol.Version);
        if (_mainExited is { } exited)
        {
            // The container's main process ended, and with it the container: the attach ends
            // cleanly, and the exit code is the container's (kubectl run reads it from the pod).
            exited(code);
            status = ExecStatus.Success();
        }

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

    private async Task OnFrameAsync(byte channel, byte[] data)
    {
        switch (channel)
        {
            case ExecProtocol.Stdin when _options.Stdin && data.Length > 0:
                await InputAsync(data, close: false).ConfigureAwait(false);
                break;
            case ExecProtocol.Resize:
                foreach (var size in ReadResizes(data))
                {
                    ApplyResize(size);
                }

                break;
            case ExecProtocol.Close when _conn.Protocol.SupportsClose && data.Length > 0 && data[0] == ExecProtocol.Stdin && _options.Stdin:
                await InputAsync(null, close: true).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Input before the command starts is kept, in order, and delivered first once it runs.</summary>
    private async Task InputAsync(byte[]? data, bool close)
    {
        RunningCommand? command;
        lock (_gate)
        {
            command = _command;
            if (command is null)
            {
                if (data is not null)
                {
                    _pendingInput.Add(data);
                }

                _pendingClose |= close;
                return;
            }
        }

        await DeliverInputAsync(command, data, close).ConfigureAwait(false);
    }

    private async Task DeliverInputAsync(RunningCommand command, byte[]? data, bool close)
    {
        try
        {
            await _inputLock.WaitAsync(_aborted).ConfigureAwait(false);
            try
            {
                List<byte[]> pending;
                bool pendingClose;
                lock (_gate)
                {
                    pending = [.. _pendingInput];
                    _pendingInput.Clear();
                    pendingClose = _pendingClose;
                    _pendingClose = false;
                }

                foreach (var chunk in pending)
                {
                    await command.WriteInputAsync(chunk, _aborted).ConfigureAwait(false);
                }

                if (data is not null)
                {
                    await command.WriteInputAsync(data, _aborted).ConfigureAwait(false);
                }

                if (pendingClose || close)
                {
                    await command.CloseInputAsync(_aborted).ConfigureAwait(false);
                }
            }
            finally
            {
                _inputLock.Release();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The command no longer reads its input (it exited); the rest of the input is dropped.
        }
    }

    private void ApplyResize((ushort Columns, ushort Rows) size)
    {
        RunningCommand? command;
        lock (_gate)
        {
            command = _command;
            if (command is null)
            {
                _size = size;
            }
        }

        command?.Resize(size.Columns, size.Rows);
        _firstResize.TrySetResult();
    }

    private async Task PumpAsync(Stream source, byte? channel, RunningCommand command)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer, _aborted).ConfigureAwait(false)) > 0)
            {
                if (channel is { } ch)
                {
                    await _conn.SendAsync(ch, buffer.AsMemory(0, n), _aborted).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
        {
            command.Kill();
        }
    }
}
