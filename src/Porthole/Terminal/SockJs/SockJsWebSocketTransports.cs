using System.Net.WebSockets;
using System.Text;

namespace Porthole.Terminal.SockJs;

/// <summary>
/// The WebSocket transports. Framed (<c>/{server}/{session}/websocket</c>): every WebSocket
/// text message is one SockJS frame out, and a JSON array (or string) of messages in; broken
/// framing ends the connection (close 1002). Raw (<c>/websocket</c>): one WebSocket message per
/// message both ways, and the session's close becomes the WebSocket close: code 1 → 1000,
/// others → 4000 + code, with the reason.
/// </summary>
internal static class SockJsWebSocketTransports
{
    private const int MaxMessage = 1024 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(WebSocket socket, SockJsSession session, bool raw, SockJsOptions options, TimeProvider time, CancellationToken requestAborted)
    {
        if (!session.TryAttach(socket))
        {
            await SendTextAsync(socket, SockJsFrames.Close(2010, "Another connection still open"), requestAborted);
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "", requestAborted);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var receiving = ReceiveAsync(socket, session, raw, stop);
        try
        {
            if (session.TryOpen() && !raw)
            {
                await SendTextAsync(socket, SockJsFrames.Open, stop.Token);
            }

            while (true)
            {
                var next = await session.NextAsync(options.HeartbeatInterval, time, stop.Token);
                if (raw && next.Messages is { } messages)
                {
                    foreach (var message in messages)
                    {
                        await SendTextAsync(socket, message, stop.Token);
                    }
                }
                else if (!raw)
                {
                    await SendTextAsync(socket, next.ToFrame(), stop.Token);
                }

                if (next.Close is { } close)
                {
                    var (status, reason) = raw ? (close.Code == 1 ? WebSocketCloseStatus.NormalClosure : (WebSocketCloseStatus)(4000 + close.Code), close.Reason)
                        : (WebSocketCloseStatus.NormalClosure, "");
                    await CloseAsync(socket, status, reason, stop.Token);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away or broke the framing.
        }
        finally
        {
            // Cancelling a receive aborts the socket and drops unsent frames: after our close
            // frame, give the client a moment to answer it first.
            if (socket.State == WebSocketState.CloseSent)
            {
                await Task.WhenAny(receiving, Task.Delay(CloseGrace, time, CancellationToken.None));
            }

            await stop.CancelAsync();
            await receiving;
            session.Detach(socket);
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, SockJsSession session, bool raw, CancellationTokenSource stop)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessage)
                {
                    await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig, "Message too big.", stop.Token);
                    break;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (raw)
                {
                    await session.DeliverAsync([text], stop.Token);
                }
                else if (text.Length == 0)
                {
                    continue; // sockjs-node ignores empty frames
                }
                else if (SockJsFrames.TryDecode(text, out var messages))
                {
                    await session.DeliverAsync(messages, stop.Token);
                }
                else
                {
                    await CloseAsync(socket, WebSocketCloseStatus.ProtocolError, "Broken framing.", stop.Token);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Ended by the writer or the client.
        }

        await stop.CancelAsync();
    }

    private static Task SendTextAsync(WebSocket socket, string text, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, reason, ct);
        }
    }
}
