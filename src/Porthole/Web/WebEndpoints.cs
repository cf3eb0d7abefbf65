using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Porthole.Pipeline;
using Porthole.Web;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The single-page app: content-hashed <c>/assets/*</c> cached for a year as immutable, other
/// top-level files of web/dist revalidated, and index.html (with this response's CSP nonce,
/// never cached) for any GET that accepts HTML and is not an API, hub, probe or metrics path,
/// so deep links such as <c>/c/sim-admin/apps/v1/deployments</c> load the app. Anything else
/// unmatched is a problem+json 404.
/// </summary>
public static class WebEndpoints
{
    private const string ImmutableCache = "public, max-age=31536000, immutable";

    private static readonly string[] ServerPrefixes = ["/api", "/ws", "/metrics", "/healthz", "/livez", "/readyz", "/assets"];

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static WebApplicationBuilder AddPortholeWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => WebAssets.Embedded());
        return builder;
    }

    public static IEndpointRouteBuilder MapPortholeWeb(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/assets/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string? path, WebAssets web) =>
            SendFileAsync(context, web.Files, "assets/" + path, ImmutableCache));
        endpoints.MapFallback("{**path}", (HttpContext context, WebAssets web) => FallbackAsync(context, web));
        return endpoints;
    }

    private static async Task FallbackAsync(HttpContext context, WebAssets web)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var readOnly = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (!readOnly || ServerPrefixes.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase) || path.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase)))
        {
            await NotFoundAsync(context);
            return;
        }

        // A top-level file of web/dist (favicon, robots.txt): served, but revalidated.
        var name = path.TrimStart('/');
        if (name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && name != "index.html" && web.Files.GetFileInfo(name) is { Exists: true, IsDirectory: false })
        {
            await SendFileAsync(context, web.Files, name, "no-cache");
            return;
        }

        // The root is the app whatever the client accepts (curl, a probe); a deep path only for
        // clients asking for HTML, so a mistyped API-ish path still answers problem+json.
        if (!(path == "/" || AcceptsHtml(request)) || web.RenderIndex(context.Features.GetRequiredFeature<ICspNonceFeature>().Nonce) is not { } html)
        {
            await NotFoundAsync(context);
            return;
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static async Task SendFileAsync(HttpContext context, IFileProvider files, string name, string cacheControl)
    {
        var file = files.GetFileInfo(name);
        if (!file.Exists || file.IsDirectory)
        {
            await NotFoundAsync(context);
            return;
        }

        var response = context.Response;
        response.ContentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        response.Headers.CacheControl = cacheControl;
        response.ContentLength = file.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.SendFileAsync(file, context.RequestAborted);
        }
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static Task NotFoundAsync(HttpContext context) =>
        Problems.WriteAsync(context, StatusCodes.Status404NotFound, "not_found", "Not found", $"Nothing is served at {context.Request.Path}.");
}
