using System.Net.WebSockets;
using Porthole.Pipeline;

namespace Porthole.Hosting.Drain;

public sealed partial class WebSocketTracker
{
    /// <summary>
    /// Accepts a WebSocket upgrade after checking its Origin: a browser may open a socket only
    /// from this server's own origin or one of PORTHOLE_CORS_ORIGINS (clients that send no
    /// Origin, such as CLIs, are not browsers and pass). Otherwise answers 403 and returns null.
    /// The caller tracks the socket with <see cref="Track"/>.
    /// </summary>
    public async Task<WebSocket?> AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "websocket_expected", "WebSocket expected", "This path only takes WebSocket upgrades.");
            return null;
        }

        var origin = context.Request.Headers.Origin.ToString();
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        if (origin.Length > 0 && !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            && !options.CorsOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "origin_refused", "Origin not allowed",
                $"WebSockets are accepted from this server's own origin or PORTHOLE_CORS_ORIGINS, not from {origin}.");
            return null;
        }

        if (server.Stopping.IsCancellationRequested)
        {
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "shutting_down", "Server shutting down", "Reconnect to another instance.");
            return null;
        }

        return await context.WebSockets.AcceptWebSocketAsync();
    }
}
