using System.Diagnostics;
using System.Net.WebSockets;
using Porthole.Clusters;
using Porthole.Clusters.Caching;
using Porthole.Diagnostics;
using Porthole.Hosting;
using Porthole.Pipeline;
using Porthole.Terminal;

namespace Porthole.Hub;

/// <summary>
/// GET /ws: refuses a foreign Origin (403) and an anonymous request (401) before the upgrade,
/// then serves one <see cref="HubConnection"/> with the signed-in user's Kubernetes credential.
/// </summary>
internal static class HubEndpoint
{
    public static async Task HandleAsync(HttpContext context, HubOptions options, PortholeOptions settings, ClusterRegistry clusters, WatchCache cache, TerminalExecutor terminals, HubConnections connections, PortholeMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Porthole.Hub");
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "websocket_required", "WebSocket upgrade required", "/ws speaks the hub protocol over a WebSocket (docs/protocols/hub.md).");
            return;
        }

        if (!OriginAllowed(context, settings))
        {
            HubLog.OriginRefused(logger, context.Request.Headers.Origin.ToString());
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "origin_refused", "Origin not allowed", "The WebSocket's Origin is neither Porthole's own nor in PORTHOLE_CORS_ORIGINS.");
            return;
        }

        var user = context.GetPortholeUser();
        var credential = context.GetKubeCredential();
        var terminalUser = TerminalUser.From(context);
        if (user is null || credential is null || terminalUser is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "Sign-in required", "The hub needs a signed-in user.");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
        var sessionId = Guid.NewGuid().ToString("n");
        var factory = new HubChannelFactory(clusters, cache, credential, terminals, terminalUser, options, time, loggers);
        await using var connection = new HubConnection(socket, sessionId, options, time, factory, logger, context.RequestAborted);
        var kind = new KeyValuePair<string, object?>("kind", "hub");
        metrics.OpenWebSockets.Add(1, kind);
        using var registration = connections.Register(connection);
        var started = Stopwatch.GetTimestamp();
        HubLog.Connected(logger, sessionId, user.Name);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            metrics.OpenWebSockets.Add(-1, kind);
            HubLog.Disconnected(logger, sessionId, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// Browsers always send Origin on a WebSocket: it must be this server's own scheme://host or
    /// in the CORS allowlist. Clients without Origin (CLIs, tests) are not browsers, so not open
    /// to cross-site WebSocket hijacking; they still need to be signed in.
    /// </summary>
    internal static bool OriginAllowed(HttpContext context, PortholeOptions settings)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || settings.CorsOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
