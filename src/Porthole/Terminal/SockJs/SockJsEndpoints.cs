using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Porthole.Hosting;

namespace Porthole.Terminal.SockJs;

/// <summary>
/// The SockJS server's routes under <see cref="SockJsOptions.Prefix"/>: the greeting, <c>/info</c>,
/// <c>/{server}/{session}/{websocket|xhr|xhr_streaming|xhr_send}</c> and the raw <c>/websocket</c>.
/// Every session route needs a signed-in user and an allowed Origin, and a session answers only
/// the sign-in session that created it (to anyone else it does not exist). See
/// docs/protocols/sockjs-terminal.md.
/// </summary>
internal static partial class SockJsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, SockJsOptions options)
    {
        var prefix = options.Prefix;
        endpoints.MapGet(prefix, () => Results.Text("Welcome to SockJS!\n", SockJsHttp.PlainText));
        endpoints.MapGet(prefix + "/", () => Results.Text("Welcome to SockJS!\n", SockJsHttp.PlainText));
        endpoints.MapMethods(prefix + "/info", ["GET", "OPTIONS"], Info);
        endpoints.Map(prefix + "/websocket", RawWebSocketAsync);
        endpoints.Map(prefix + "/{server}/{session}/{transport}", TransportAsync);
    }

    private static Task Info(HttpContext context, TimeProvider time)
    {
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            SockJsHttp.Options(context, "OPTIONS, GET", time);
            return Task.CompletedTask;
        }

        SockJsHttp.Cors(context);
        SockJsHttp.NoCache(context);
        var entropy = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        return SockJsHttp.WriteAsync(context, StatusCodes.Status200OK, "application/json; charset=UTF-8",
            $$"""{"websocket":true,"cookie_needed":false,"origins":["*:*"],"entropy":{{entropy}}}""");
    }

    private static async Task TransportAsync(HttpContext context, string server, string session, string transport,
        SockJsSessions sessions, SockJsOptions options, PortholeOptions porthole, TimeProvider time)
    {
        if (!ValidId().IsMatch(server) || !ValidId().IsMatch(session))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var method = context.Request.Method;
        var (receiving, allowed) = transport switch
        {
            "websocket" => (true, "GET"),
            "xhr" or "xhr_streaming" => (true, "POST"),
            "xhr_send" => (false, "POST"),
            _ => (false, ""),
        };
        if (allowed.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (HttpMethods.IsOptions(method) && allowed == "POST")
        {
            SockJsHttp.Options(context, "OPTIONS, POST", time);
            return;
        }

        if (!string.Equals(method, allowed, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = allowed;
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (await Refuse(context, porthole) is not { } user)
        {
            return;
        }

        if (transport == "websocket" && !context.WebSockets.IsWebSocketRequest)
        {
            await SockJsHttp.WriteAsync(context, StatusCodes.Status400BadRequest, SockJsHttp.PlainText, "Can \"Upgrade\" only to \"WebSocket\".");
            return;
        }

        var found = receiving ? sessions.GetOrCreate(session, user) : sessions.Get(session);
        if (found is null || !found.Owner.SameSession(user))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        switch (transport)
        {
            case "websocket":
                using (var socket = await context.WebSockets.AcceptWebSocketAsync())
                {
                    await SockJsWebSocketTransports.RunAsync(socket, found, raw: false, options, time, context.RequestAborted);
                }

                break;
            case "xhr_send":
                await SockJsXhrTransports.SendAsync(context, found);
                break;
            default:
                await SockJsXhrTransports.ReceiveAsync(context, found, transport == "xhr_streaming", options, time);
                break;
        }
    }

    private static async Task RawWebSocketAsync(HttpContext context, SockJsSessions sessions, SockJsOptions options, PortholeOptions porthole, TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await SockJsHttp.WriteAsync(context, StatusCodes.Status400BadRequest, SockJsHttp.PlainText, "Can \"Upgrade\" only to \"WebSocket\".");
            return;
        }

        if (await Refuse(context, porthole) is not { } user)
        {
            return;
        }

        var session = sessions.GetOrCreate("raw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), user);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await SockJsWebSocketTransports.RunAsync(socket, session, raw: true, options, time, context.RequestAborted);
    }

    /// <summary>The signed-in user, or null after answering 403 (Origin) or 401 (not signed in).</summary>
    private static async Task<TerminalUser?> Refuse(HttpContext context, PortholeOptions porthole)
    {
        if (!SockJsHttp.OriginAllowed(context, porthole))
        {
            await SockJsHttp.WriteAsync(context, StatusCodes.Status403Forbidden, SockJsHttp.PlainText, "Origin not allowed.");
            return null;
        }

        if (TerminalUser.From(context) is not { } user)
        {
            await SockJsHttp.WriteAsync(context, StatusCodes.Status401Unauthorized, SockJsHttp.PlainText, "Not signed in.");
            return null;
        }

        return user;
    }

    [GeneratedRegex("^[^./]+$")]
    private static partial Regex ValidId();
}
