using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Exec;

/// <summary>
/// Serves pods/exec and pods/attach over the Kubernetes WebSocket streaming protocols
/// (channel.k8s.io family, v1 to v5): validates like the API server and kubelet, upgrades, then
/// runs the command in the simulated container (or follows its main process for attach).
/// The host must have called <c>app.UseWebSockets()</c>.
/// </summary>
public static partial class ExecEndpoint
{
    /// <summary>
    /// Handles the whole request, writing error responses itself (metav1.Status JSON). Call after
    /// authentication, authorization (create on pods/exec or pods/attach) and loading <paramref name="pod"/>.
    /// </summary>
    /// <param name="containerOutput">For attach: the container's output lines as they come; null keeps the attach open until the client leaves.</param>
    /// <param name="mainExited">
    /// For attach with stdin to an interactive container (a shell reading its stdin): the attach runs its
    /// main process and this hears (container, exit code) when it ends; null attaches to the output only.
    /// </param>
    public static async Task HandleAsync(
        HttpContext ctx,
        JsonObject pod,
        bool attach,
        ContainerRuntime runtime,
        Func<string, CancellationToken, IAsyncEnumerable<string>>? containerOutput,
        Action<string, int>? mainExited = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(runtime);
        ExecOptions options;
        try
        {
            options = ExecOptions.Parse(ctx.Request.Query, pod, attach);
            if (IsSpdyUpgrade(ctx.Request))
            {
                await ServeSpdyAsync(ctx, options, pod, runtime, containerOutput, mainExited).ConfigureAwait(false);
                return;
            }

            RequireUpgrade(ctx);
        }
        catch (ApiException e)
        {
            await WriteStatusAsync(ctx, e.Code, e.ToStatus()).ConfigureAwait(false);
            return;
        }

        var protocol = ExecProtocol.Negotiate(ctx.WebSockets.WebSocketRequestedProtocols);
        if (protocol is null)
        {
            // As golang.org/x/net/websocket answers a failed subprotocol handshake.
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var ws = await ctx.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = protocol.Name.Length == 0 ? null : protocol.Name,
        }).ConfigureAwait(false);
        using var connection = new ExecConnection(ws, protocol);
        var time = ctx.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System;
        var session = new ExecSession(connection, options, time, ctx.RequestAborted);
        await session.RunAsync(pod, runtime, containerOutput, mainExited).ConfigureAwait(false);
    }

    private static void RequireUpgrade(HttpContext ctx)
    {
        if (ctx.WebSockets.IsWebSocketRequest)
        {
            return;
        }

        throw ApiException.BadRequest("Upgrade request required");
    }

    private static async Task WriteStatusAsync(HttpContext ctx, int code, JsonObject status)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(status.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
    }
}
