using Porthole.Auth;
using Porthole.Auth.Local;
using Porthole.Auth.Oidc;
using Porthole.Auth.Sessions;
using Porthole.Auth.Tokens;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Pipeline;
using Porthole.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Sign-in, sign-out, who am I, and this session's cluster: /api/v1/auth/*.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapPortholeAuth(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapPortholeApiGroup().MapGroup("/auth");
        auth.MapPost("/login", LoginAsync).WithName("Login").WithSummary("Sign in (local: username and password; token: a Kubernetes token)");
        auth.MapPost("/logout", LogoutAsync).WithName("Logout").WithSummary("Sign out: the session is revoked, also across restarts");
        auth.MapGet("/me", Me).WithName("Me").WithSummary("The signed-in user, groups, cluster and auth mode");
        auth.MapPut("/context", SwitchContext).WithName("SwitchContext").WithSummary("Switch this session's cluster");
        if (endpoints.ServiceProvider.GetRequiredService<PortholeOptions>().AuthMode == AuthMode.Oidc)
        {
            auth.MapGet("/oidc/start", (HttpContext context, OidcFlow flow, string? returnTo) => flow.StartAsync(context, returnTo))
                .WithName("OidcStart").WithSummary("Redirect to the identity provider (authorization code + PKCE)");
            auth.MapGet("/oidc/callback", (HttpContext context, OidcFlow flow) => flow.CallbackAsync(context))
                .WithName("OidcCallback").WithSummary("The identity provider's redirect back: exchange the code, start a session");
        }
        return endpoints;
    }

    /// <summary>The body of POST /auth/login.</summary>
    public sealed record LoginRequest(string? Username, string? Password, string? Token, string? Cluster);

    /// <summary>
    /// The answer of /auth/me, /auth/login and /auth/context. <see cref="Admin"/>: a member of
    /// PORTHOLE_ADMIN_GROUP (may read the audit log and every recording); <see cref="ReadOnly"/>:
    /// PORTHOLE_READ_ONLY refuses every mutation, so the UI offers none.
    /// </summary>
    public sealed record MeResponse(string User, IReadOnlyList<string> Groups, string? Cluster, string Mode, bool Admin, bool ReadOnly);

    private static MeResponse MeOf(PortholeOptions options, string user, IReadOnlyList<string> groups, string? cluster) =>
        new(user, groups, cluster, Mode(options), groups.Contains(options.AdminGroup), options.ReadOnly);

    private static async Task<IResult> LoginAsync(HttpContext context, LoginRequest? body, PortholeOptions options, IServiceProvider services, ClusterRegistry clusters, PortholeStore store)
    {
        // Fail closed: a session the store cannot revoke (or a replica cannot hear revoked) is not handed out.
        await store.PingAsync("sign-in", context.RequestAborted);
        var clientIp = context.Connection.RemoteIpAddress?.ToString() ?? "";
        switch (options.AuthMode)
        {
            case AuthMode.Local:
                if (body is not { Username: { Length: > 0 and <= 256 } username, Password: { Length: > 0 and <= 1024 } password })
                {
                    return Bad("A JSON body {\"username\", \"password\"} is required.");
                }

                var (result, local, retryAfter) = await services.GetRequiredService<LocalAuthenticator>().SignInAsync(username, password, clientIp, context.RequestAborted);
                if (result == LocalLoginResult.Throttled)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter!.Value.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return new ProblemResult(StatusCodes.Status429TooManyRequests, "login_throttled", "Too many failed sign-ins",
                        $"Too many failed sign-ins for this user from this address; try again in {Math.Ceiling(retryAfter.Value.TotalMinutes)} min.");
                }

                return local is null ? InvalidCredentials("Unknown user or wrong password.")
                    : StartSession(context, services, options, clusters, local.Username, local.Groups, body.Cluster, null);

            case AuthMode.Token:
                if (body is not { Token: { Length: > 0 and <= 16384 } token })
                {
                    return Bad("A JSON body {\"token\": \"<Kubernetes bearer token>\", \"cluster\"?} is required.");
                }

                if (body.Cluster is { } c && clusters.Clusters.All(e => e.Name != c))
                {
                    return UnknownCluster(c);
                }

                var reviewed = await services.GetRequiredService<KubernetesTokenReviewer>().ReviewAsync(token, body.Cluster, context.RequestAborted);
                return reviewed is null ? InvalidCredentials("The cluster does not accept this token.")
                    : StartSession(context, services, options, clusters, reviewed.Name, reviewed.Groups, reviewed.Cluster, token);

            default:
                return new ProblemResult(StatusCodes.Status400BadRequest, "login_not_available", "No password sign-in in this mode",
                    options.AuthMode == AuthMode.Oidc ? "Auth mode oidc: sign in at /api/v1/auth/oidc/start." : $"Auth mode {Mode(options)} needs no sign-in here.");
        }
    }

    private static IResult StartSession(HttpContext context, IServiceProvider services, PortholeOptions options, ClusterRegistry clusters,
        string user, IReadOnlyList<string> groups, string? cluster, string? token)
    {
        if (cluster is not null && clusters.Clusters.All(e => e.Name != cluster))
        {
            return UnknownCluster(cluster);
        }

        var sessions = services.GetRequiredService<SessionManager>();
        var (cookie, data) = sessions.Issue(user, groups, cluster ?? clusters.Clusters.FirstOrDefault()?.Name, token);
        SessionCookies.Append(context, cookie, data.Expires);
        return Results.Ok(MeOf(options, data.User, data.Groups, data.Cluster));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, IServiceProvider services)
    {
        if (context.GetPortholeUser()?.Session is { } session)
        {
            // Stored (and announced to every replica) before the cookie is dropped; a store failure is a 503 that changed nothing.
            await services.GetRequiredService<SessionManager>().RevokeAsync(session, context.RequestAborted);
        }

        SessionCookies.Delete(context);
        return Results.NoContent();
    }

    private static IResult Me(HttpContext context, PortholeOptions options, ClusterRegistry clusters)
    {
        var user = context.GetPortholeUser()!;
        return Results.Ok(MeOf(options, user.Name, user.Groups, user.Cluster ?? clusters.Clusters.FirstOrDefault()?.Name));
    }

    /// <summary>The body of PUT /auth/context.</summary>
    public sealed record ContextRequest(string? Cluster);

    private static IResult SwitchContext(HttpContext context, ContextRequest? body, PortholeOptions options, ClusterRegistry clusters, IServiceProvider services)
    {
        if (body?.Cluster is not { Length: > 0 } cluster)
        {
            return Bad("A JSON body {\"cluster\": \"<name>\"} is required.");
        }

        if (clusters.Clusters.All(e => e.Name != cluster))
        {
            return UnknownCluster(cluster);
        }

        var user = context.GetPortholeUser()!;
        if (user.Session is not { } session)
        {
            return new ProblemResult(StatusCodes.Status400BadRequest, "no_session", "No session to switch",
                "Only a signed-in browser session has a cluster context; API clients name the cluster in each path.");
        }

        SessionCookies.Append(context, services.GetRequiredService<SessionManager>().WithCluster(session, cluster), session.Expires);
        return Results.Ok(MeOf(options, user.Name, user.Groups, cluster));
    }

    private static string Mode(PortholeOptions options) => options.AuthMode.ToString().ToLowerInvariant();

    private static ProblemResult Bad(string detail) => new(StatusCodes.Status400BadRequest, "bad_request", "Bad request", detail);

    private static ProblemResult InvalidCredentials(string detail) => new(StatusCodes.Status401Unauthorized, "invalid_credentials", "Sign-in failed", detail);

    private static ProblemResult UnknownCluster(string cluster) => new(StatusCodes.Status404NotFound, "unknown_cluster", "Unknown cluster", $"No cluster named '{cluster}' is configured.");
}
