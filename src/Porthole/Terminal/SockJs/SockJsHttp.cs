using System.Globalization;
using Porthole.Hosting;

namespace Porthole.Terminal.SockJs;

/// <summary>The protocol's cache and CORS headers, and the Origin rule of Porthole's session transports.</summary>
internal static class SockJsHttp
{
    public const string JavaScript = "application/javascript; charset=UTF-8";
    public const string PlainText = "text/plain; charset=UTF-8";
    private const int OneYearSeconds = 31536000;

    /// <summary>
    /// Browsers' Origin must be this server's own origin or one of PORTHOLE_CORS_ORIGINS; a
    /// request without Origin (not a browser) passes. Applied to every session transport, which
    /// replaces the X-Requested-With CSRF rule (sockjs-client cannot send custom headers).
    /// </summary>
    public static bool OriginAllowed(HttpContext context, PortholeOptions options)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        var self = $"{context.Request.Scheme}://{context.Request.Host}";
        return string.Equals(origin, self, StringComparison.OrdinalIgnoreCase)
            || options.CorsOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Access-Control-Allow-Origin: the request's Origin (or * without one), with credentials.</summary>
    public static void Cors(HttpContext context)
    {
        var headers = context.Response.Headers;
        var origin = context.Request.Headers.Origin.ToString();
        headers.AccessControlAllowOrigin = origin.Length == 0 || origin == "null" ? "*" : origin;
        headers.AccessControlAllowCredentials = "true";
        if (origin.Length > 0)
        {
            headers.Vary = "Origin";
        }

        if (context.Request.Headers.AccessControlRequestHeaders.ToString() is { Length: > 0 } requested)
        {
            headers.AccessControlAllowHeaders = requested;
        }
    }

    public static void NoCache(HttpContext context) =>
        context.Response.Headers.CacheControl = "no-store, no-cache, no-transform, must-revalidate, max-age=0";

    /// <summary>The answer to OPTIONS on /info and the xhr transports: cached for a year.</summary>
    public static void Options(HttpContext context, string methods, TimeProvider time)
    {
        var headers = context.Response.Headers;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        headers.CacheControl = $"public, max-age={OneYearSeconds}";
        headers.Expires = (time.GetUtcNow() + TimeSpan.FromSeconds(OneYearSeconds)).ToString("R", CultureInfo.InvariantCulture);
        headers.AccessControlMaxAge = OneYearSeconds.ToString(CultureInfo.InvariantCulture);
        headers.AccessControlAllowMethods = methods;
        Cors(context);
    }

    public static Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
