using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using k8s;
using Porthole.Clusters;

namespace Porthole.Terminal;

/// <summary>
/// One exec WebSocket into a container (tty on, as the caller, through
/// <see cref="Cluster.ConnectWebSocketAsync"/>): subprotocol v5.channel.k8s.io, falling back to
/// v4.channel.k8s.io when the server refuses v5. A pump turns
/// the binary frames (first byte the channel) into <see cref="Frames"/>: stdout bytes, then one
/// final <see cref="ExecStatus"/> from the error channel (or <see cref="ExecStatus.Lost"/>).
/// </summary>
internal sealed class ExecAttempt : IAsyncDisposable
{
    private const byte Stdin = 0;
    private const byte Stdout = 1;
    private const byte Stderr = 2;
    private const byte Error = 3;
    private const byte Resize = 4;

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<ExecFrame> _frames = Channel.CreateUnbounded<ExecFrame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private ExecAttempt(WebSocket socket, string subProtocol)
    {
        _socket = socket;
        SubProtocol = subProtocol;
        _pump = Task.Run(PumpAsync);
    }

    public string SubProtocol { get; }

    public ChannelReader<ExecFrame> Frames => _frames.Reader;

    public static async Task<ExecAttempt> ConnectAsync(Cluster cluster, KubeCredential credential, string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken ct)
    {
        try
        {
            return await ConnectAsync(cluster, credential, ns, pod, container, command, WebSocketProtocol.V5BinaryWebsocketProtocol, ct);
        }
        catch (Exception e) when (RefusedSubProtocol(e))
        {
            return await ConnectAsync(cluster, credential, ns, pod, container, command, WebSocketProtocol.V4BinaryWebsocketProtocol, ct);
        }
    }

    private static async Task<ExecAttempt> ConnectAsync(Cluster cluster, KubeCredential credential, string ns, string pod, string container, IReadOnlyList<string> command, string protocol, CancellationToken ct)
    {
        var socket = await cluster.ConnectWebSocketAsync(ExecPath(ns, pod, container, command), protocol, credential, ct);
        return new ExecAttempt(socket, protocol);
    }

    /// <summary>The pods/exec path with stdin, stdout and a tty (stderr rides on stdout with a tty).</summary>
    internal static string ExecPath(string ns, string pod, string container, IReadOnlyList<string> command) =>
        $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/exec?"
        + string.Concat(command.Select(c => "command=" + Uri.EscapeDataString(c) + "&"))
        + $"container={Uri.EscapeDataString(container)}&stderr=0&stdin=1&stdout=1&tty=1";

    /// <summary>
    /// An API server without v5 answers the upgrade without a subprotocol (the client's
    /// handshake fails) or with 400/403 and no Status body; anything carrying a Status is real.
    /// </summary>
    private static bool RefusedSubProtocol(Exception e) => e switch
    {
        WebSocketException => true,
        KubeUpgradeException r => r.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Forbidden
            && !(r.Body ?? "").Contains("\"Status\"", StringComparison.Ordinal),
        _ => false,
    };

    public Task WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken ct) => SendAsync(Stdin, data, ct);

    public Task ResizeAsync(int cols, int rows, CancellationToken ct) =>
        SendAsync(Resize, Encoding.UTF8.GetBytes($$"""{"Width":{{cols}},"Height":{{rows}}}"""), ct);

    private async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var frame = new byte[payload.Length + 1];
        frame[0] = channel;
        payload.CopyTo(frame.AsMemory(1));
        await _sendLock.WaitAsync(ct);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The pump reports the end of the stream.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        ExecStatus? status = null;
        try
        {
            while (status is null)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = message.GetBuffer().AsSpan(0, (int)message.Length);
                if (frame.Length > 1 && frame[0] is Stdout or Stderr)
                {
                    await _frames.Writer.WriteAsync(new ExecFrame(frame[1..].ToArray(), null));
                }
                else if (frame.Length > 0 && frame[0] == Error)
                {
                    status = ExecStatus.Parse(frame[1..]);
                }

                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Lost connection or disposal: reported as the final status below.
        }

        _frames.Writer.TryWrite(new ExecFrame(null, status ?? ExecStatus.Lost));
        _frames.Writer.TryComplete();
    }

    private Task? _disposed;

    /// <summary>Closes the exec (idempotent; concurrent callers share one close).</summary>
    public ValueTask DisposeAsync()
    {
        var close = new Task<Task>(CloseAsync);
        if (Interlocked.CompareExchange(ref _disposed, close.Unwrap(), null) is { } running)
        {
            return new ValueTask(running);
        }

        close.Start(TaskScheduler.Default);
        return new ValueTask(_disposed);
    }

    private async Task CloseAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "terminal closed", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing is best effort; the socket is aborted below.
        }

        await _stop.CancelAsync();
        await _pump;
        _socket.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Output bytes, or (last) the exec's final status.</summary>
internal sealed record ExecFrame(byte[]? Output, ExecStatus? Status);
