using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Exec;

/// <summary>One accepted streaming WebSocket: serialised channel sends, the receive loop and the closing handshake.</summary>
internal sealed class ExecConnection : IExecTransport
{
    private const int MaxMessage = 4 << 20;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromMilliseconds(500);
    private readonly WebSocket _ws;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public ExecConnection(WebSocket ws, ExecProtocol protocol)
    {
        _ws = ws;
        Protocol = protocol;
    }

    public ExecProtocol Protocol { get; }

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var (type, frame) = Protocol.Encode(channel, data.Span);
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _ws.SendAsync(frame, type, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Writes the final status on the error channel (nothing for a pre-v4 success).</summary>
    public async Task SendStatusAsync(JsonObject status, CancellationToken ct)
    {
        if (ExecStatus.Encode(status, Protocol) is { } payload)
        {
            await SendAsync(ExecProtocol.Error, payload, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Delivers each client frame until the client closes, the connection fails or <paramref name="ct"/> fires.</summary>
    public async Task ReceiveAsync(Func<byte, byte[], Task> onFrame, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_ws.State == WebSocketState.Open)
            {
                var result = await _ws.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessage)
                {
                    return;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.ToArray();
                message.SetLength(0);
                if (Protocol.TryDecode(result.MessageType, bytes, out var channel, out var payload))
                {
                    await onFrame(channel, payload).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Sends the close frame and gives the client a moment to answer (seen by <paramref name="receive"/>).
    /// Like the kubelet, it does not insist: the connection ends when the handler returns.
    /// </summary>
    public async Task CloseAsync(Task receive, TimeProvider time)
    {
        try
        {
            if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var sendTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
                await _sendLock.WaitAsync(sendTimeout.Token).ConfigureAwait(false);
                try
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", sendTimeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }

            await Task.WhenAny(receive, Task.Delay(CloseGrace, time)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _ws.Abort();
        }
    }

    public void Dispose() => _sendLock.Dispose();
}
