using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Exec.Spdy;

namespace Porthole.KubeSim.Exec;

public static partial class ExecEndpoint
{
    private const string StreamProtocolHeader = "X-Stream-Protocol-Version";

    private static bool IsSpdyUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("SPDY/3.1", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Connection.ToString().Contains("upgrade", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The SPDY/3.1 upgrade kubectl before 1.30 makes (and later ones when WebSockets fail): the
    /// stream protocol is negotiated from X-Stream-Protocol-Version as httpstream.Handshake does
    /// (403 with the accepted versions when none fits), then 101 Switching Protocols.
    /// </summary>
    private static async Task ServeSpdyAsync(HttpContext ctx, ExecOptions options, JsonObject pod, ContainerRuntime runtime, Func<string, CancellationToken, IAsyncEnumerable<string>>? containerOutput, Action<string, int>? mainExited)
    {
        var offered = ctx.Request.Headers[StreamProtocolHeader].Select(v => v ?? "").ToList();
        if (offered.Count == 0)
        {
            throw ApiException.BadRequest($"unable to upgrade: {StreamProtocolHeader} is required");
        }

        if (ExecProtocol.NegotiateSpdy(offered) is not { } protocol)
        {
            foreach (var accepted in ExecProtocol.SupportedSpdy)
            {
                ctx.Response.Headers.Append("X-Accepted-Stream-Protocol-Versions", accepted);
            }

            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync($"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], server accepts [{string.Join(' ', ExecProtocol.SupportedSpdy)}]\n", ctx.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (ctx.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true } upgrade)
        {
            throw ApiException.BadRequest("unable to upgrade: SPDY needs an HTTP/1.1 connection");
        }

        ctx.Response.Headers[StreamProtocolHeader] = protocol.Name;
        ctx.Response.Headers.Upgrade = "SPDY/3.1";
        var transport = await upgrade.UpgradeAsync().ConfigureAwait(false);
        var time = ctx.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System;
        var connection = await SpdyExecConnection.AcceptAsync(transport, protocol, options.Stdin, options.Stdout, options.Stderr, options.Tty, time, ctx.RequestAborted).ConfigureAwait(false);
        if (connection is null)
        {
            return;
        }

        try
        {
            var session = new ExecSession(connection, options, time, ctx.RequestAborted);
            await session.RunAsync(pod, runtime, containerOutput, mainExited).ConfigureAwait(false);
        }
        finally
        {
            await connection.StopAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }
}
