using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Exec;

/// <summary>One upgraded exec or attach: connects the client's channels to the command and ends with the status.</summary>
internal sealed partial class ExecSession
{
    private readonly IExecTransport _conn;
    private readonly ExecOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationToken _aborted;
    private readonly List<byte> _pendingResize = [];

    /// <summary>What runs: the exec's command, or an interactive container's main process for its attach.</summary>
    private IReadOnlyList<string> _argv;

    /// <summary>Set when this attach runs the container's main process: hears its exit code.</summary>
    private Action<int>? _mainExited;

    public ExecSession(IExecTransport conn, ExecOptions options, TimeProvider time, CancellationToken aborted)
    {
        _conn = conn;
        _options = options;
        _time = time;
        _aborted = aborted;
        _argv = options.Command;
    }

    /// <param name="mainExited">
    /// For attach to an interactive container (a shell reading its stdin, see <see cref="ContainerFate.InteractiveMain"/>)
    /// with stdin: the attach runs the container's main process, and this hears its exit code
    /// (container name, code) so the container ends with it. Null attaches to the output only.
    /// </param>
    public async Task RunAsync(JsonObject pod, ContainerRuntime runtime, Func<string, CancellationToken, IAsyncEnumerable<string>>? containerOutput, Action<string, int>? mainExited = null)
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

            if (_options.Attach && _options.Stdin && mainExited is not null
                && ContainerRuntime.FindContainer(pod, _options.Container) is { } spec && ContainerFate.InteractiveMain(spec) is { } main)
            {
                _argv = main;
                _mainExited = code => mainExited(_options.Container, code);
                await ExecAsync(pod, runtime).ConfigureAwait(false);
            }
            else if (_options.Attach)
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
