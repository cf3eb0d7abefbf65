using Porthole.Pipeline;

namespace Porthole.Auth;

/// <summary>
/// CSRF rule of DESIGN.md: a POST, PUT, PATCH or DELETE that relies on the browser (the session
/// cookie, or auth mode none where the browser needs no credential at all) must carry a
/// non-empty X-Requested-With header, which a cross-site form or simple request cannot set;
/// otherwise 403. Requests with an <c>Authorization: Bearer</c> header are exempt, and so is
/// /api/sockjs: sockjs-client cannot add headers, so its transports check Origin instead
/// (Porthole.Terminal.SockJs.SockJsHttp.OriginAllowed).
/// </summary>
internal sealed class CsrfMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var unsafeMethod = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
            || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method);
        if (!unsafeMethod || IsBearer(request) || request.Path.StartsWithSegments("/api/sockjs") || !string.IsNullOrWhiteSpace(request.Headers.XRequestedWith))
        {
            return next(context);
        }

        return Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "csrf",
            "Missing X-Requested-With", "Requests that change state must carry the X-Requested-With header (any value).");
    }

    private static bool IsBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}
