using System.Net.WebSockets;
using Porthole.Hosting.Drain;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Endpoints that exist only in the Development environment (DOTNET_ENVIRONMENT=Development, as
/// under <c>dotnet run</c>): a slow request and an echo WebSocket, for trying the graceful drain
/// by hand and for the drain's process test, until the hub provides real long-lived sockets.
/// </summary>
public static class DevelopmentEndpoints
{
    public static IEndpointRouteBuilder MapPortholeDevelopmentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return endpoints;
        }

        // In the /api/v1 group: auth and the 30 s timeout apply. ?ms= is capped at 20 s.
        endpoints.MapPortholeApiGroup().MapGet("/dev/sleep", async (int ms, TimeProvider time, HttpContext context) =>
        {
            var wait = TimeSpan.FromMilliseconds(Math.Clamp(ms, 0, 20_000));
            await Task.Delay(wait, time, context.RequestAborted);
            return Results.Text($"slept {wait.TotalMilliseconds} ms");
        });

        // Like /ws: long-lived, no timeout; echoes text frames until either side closes.
        endpoints.Map("/ws/dev/echo", async (HttpContext context, WebSocketTracker tracker) =>
        {
            using var socket = await tracker.AcceptAsync(context);
            if (socket is null)
            {
                return;
            }

            // One writer at a time: the drain's close frame takes the same lock as the echo.
            using var writeLock = new SemaphoreSlim(1, 1);
            using var tracked = tracker.Track(socket, "dev-echo", async (status, reason, ct) =>
            {
                await writeLock.WaitAsync(ct);
                try
                {
                    await socket.CloseOutputAsync(status, reason, ct);
                }
                finally
                {
                    writeLock.Release();
                }
            });
            try
            {
                await EchoAsync(socket, writeLock);
            }
            catch (WebSocketException)
            {
                // The peer vanished, or the drain aborted a socket that did not answer its close.
            }
        });
        return endpoints;
    }

    private static async Task EchoAsync(WebSocket socket, SemaphoreSlim writeLock)
    {
        var buffer = new byte[4096];
        while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            await writeLock.WaitAsync();
            try
            {
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
                }
            }
            finally
            {
                writeLock.Release();
            }
        }
    }
}
