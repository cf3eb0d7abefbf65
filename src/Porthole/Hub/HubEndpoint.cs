using System.Diagnostics;
using System.Net.WebSockets;
using Porthole.Clusters;
using Porthole.Clusters.Caching;
using Porthole.Hosting.Drain;
using Porthole.Pipeline;
using Porthole.Storage;
using Porthole.Terminal;

namespace Porthole.Hub;

/// <summary>
/// GET /ws: refuses an anonymous request (401), a plain GET (400) and a foreign Origin (403)
/// before the upgrade, then serves one <see cref="HubConnection"/> with the signed-in user's
/// Kubernetes credential, tracked by the drain (closed 1001 "server shutting down").
/// </summary>
internal static class HubEndpoint
{
    public static async Task HandleAsync(HttpContext context, HubOptions options, ClusterRegistry clusters, WatchCache cache, TerminalExecutor terminals, AuditLog audit, WebSocketTracker tracker, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Porthole.Hub");
        var user = context.GetPortholeUser();
        var credential = context.GetKubeCredential();
        var terminalUser = TerminalUser.From(context);
        if (user is null || credential is null || terminalUser is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "Sign-in required", "The hub needs a signed-in user.");
            return;
        }

        // Upgrade check, Origin check (own origin or PORTHOLE_CORS_ORIGINS) and drain refusal.
        using var socket = await tracker.AcceptAsync(context);
        if (socket is null)
        {
            return;
        }

        var sessionId = Guid.NewGuid().ToString("n");
        var factory = new HubChannelFactory(clusters, cache, credential, terminals, audit, terminalUser, options, time, loggers);
        await using var connection = new HubConnection(socket, sessionId, options, time, factory, logger, context.RequestAborted);
        using var tracked = tracker.Track(socket, "hub", (status, reason, _) => connection.CloseAsync(status, reason));
        var started = Stopwatch.GetTimestamp();
        HubLog.Connected(logger, sessionId, user.Name);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            HubLog.Disconnected(logger, sessionId, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
