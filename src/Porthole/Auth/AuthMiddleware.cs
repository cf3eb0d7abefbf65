using Porthole.Auth.Proxy;
using Porthole.Auth.Sessions;
using Porthole.Auth.Tokens;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Pipeline;

namespace Porthole.Auth;

/// <summary>
/// Stage 9: who is this request? Mode <c>none</c> (loopback only) is the kubeconfig's user. In
/// the other modes, in this order: an <c>Authorization: Bearer</c> token (oidc: an ID token;
/// token: a Kubernetes token; refused in other modes), the trusted proxy's X-Forwarded-User
/// (proxy mode), the session cookie. Without a user, /api/* and /ws answer 401 except the
/// sign-in routes; everything else (the SPA, probes) passes through.
/// </summary>
internal sealed partial class AuthMiddleware(
    RequestDelegate next, PortholeOptions options, ClusterRegistry clusters, IServiceProvider services, ILogger<AuthMiddleware> logger)
{
    public const string AnonymousName = "kubeconfig";

    private static readonly string[] AnonymousApiPaths =
        ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/auth/oidc/start", "/api/v1/auth/oidc/callback"];

    private readonly SessionManager? _sessions = options.AuthMode is AuthMode.None or AuthMode.Proxy ? null : services.GetRequiredService<SessionManager>();
    private readonly IBearerAuthenticator? _bearer = services.GetService<IBearerAuthenticator>();

    public async Task InvokeAsync(HttpContext context)
    {
        if (options.AuthMode == AuthMode.None)
        {
            var name = clusters.CurrentUser ?? AnonymousName;
            context.Features.Set<IPortholeUserFeature>(new PortholeUserFeature(new PortholeUser(name, ["system:authenticated"], AuthenticatedBy.None)));
            await next(context);
            return;
        }

        PortholeUser? user = null;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            const string bearer = "Bearer ";
            if (_bearer is null || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            {
                await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "Authorization not accepted",
                    $"Auth mode {Mode} accepts no Authorization header{(_bearer is null ? "" : " other than Bearer")}.");
                return;
            }

            user = await _bearer.AuthenticateAsync(authorization[bearer.Length..].Trim(), context.RequestAborted);
            if (user is null)
            {
                await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalid_token", "Invalid bearer token",
                    "The bearer token is not valid (signature, issuer, audience or expiry).");
                return;
            }
        }
        else if (options.AuthMode == AuthMode.Proxy)
        {
            user = ProxyHeaders.Read(context, options.TrustedProxies);
            if (user is null && context.Request.Headers.ContainsKey(ProxyHeaders.UserHeader))
            {
                LogUntrustedProxy(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?");
            }
        }
        else if (_sessions is not null && context.Request.Cookies[SessionCookies.Name] is { } cookie)
        {
            var check = _sessions.Check(cookie, out var session);
            if (session is not null)
            {
                user = new PortholeUser(session.Data.User, session.Data.Groups, AuthenticatedBy.Cookie)
                {
                    Cluster = session.Data.Cluster,
                    Token = session.Token,
                    Session = session.Data,
                };
            }
            else
            {
                LogCookieRejected(logger, check);
                SessionCookies.Delete(context);
            }
        }

        if (user is not null && user.Token is null && RequiresUser(context.Request.Path)
            && ImpersonationHeaders.Problem(user.Name, user.Groups) is { } unsendable)
        {
            // Kubernetes would see another name (or none): refuse rather than act as someone else.
            LogUnsendableIdentity(logger, unsendable);
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "identity_not_impersonable", "Identity cannot be passed to Kubernetes",
                $"Porthole acts for you by impersonation, and your {unsendable}. Ask an administrator to rename it.");
            return;
        }

        if (user is not null)
        {
            context.Features.Set<IPortholeUserFeature>(new PortholeUserFeature(user));
        }
        else if (RequiresUser(context.Request.Path))
        {
            // authMode tells the web UI which sign-in form to show.
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Sign-in required",
                $"This Porthole uses auth mode {Mode}; sign in first.", [new("authMode", Mode)]);
            return;
        }

        await next(context);
    }

    private string Mode => options.AuthMode.ToString().ToLowerInvariant();

    private static bool RequiresUser(PathString path) =>
        (path.StartsWithSegments("/api") || path.StartsWithSegments("/ws"))
        && !AnonymousApiPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Session cookie rejected: {Reason}")]
    private static partial void LogCookieRejected(ILogger logger, SessionCheck reason);

    [LoggerMessage(EventId = 1226, Level = LogLevel.Warning, Message = "Refused a signed-in user: {Reason}")]
    private static partial void LogUnsendableIdentity(ILogger logger, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Ignored X-Forwarded-User from {Address}, which is not in PORTHOLE_TRUSTED_PROXIES")]
    private static partial void LogUntrustedProxy(ILogger logger, string address);
}
