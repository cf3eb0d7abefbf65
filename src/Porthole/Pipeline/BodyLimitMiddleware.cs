using Microsoft.AspNetCore.Http.Features;
using Porthole.Hosting;

namespace Porthole.Pipeline;

/// <summary>
/// Caps request bodies at PORTHOLE_BODY_LIMIT (1 MiB by default). A declared Content-Length
/// over the limit is refused before the body is read; a chunked body is cut off by Kestrel's
/// per-request limit when it grows past it. Both answer 413 problem+json.
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, PortholeOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > options.BodyLimit)
        {
            await RefuseAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } max)
        {
            max.MaxRequestBodySize = options.BodyLimit;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await RefuseAsync(context);
        }
    }

    private Task RefuseAsync(HttpContext context) =>
        Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "body_too_large",
            "Request body too large", $"Request bodies are limited to {options.BodyLimit} bytes.");
}
