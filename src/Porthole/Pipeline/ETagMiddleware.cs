using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Porthole.Pipeline;

/// <summary>
/// Buffers a GET response (up to <see cref="MaxBuffered"/> bytes), gives a 200 a strong ETag
/// over its bytes (as sent, so each content encoding has its own), and answers a matching
/// If-None-Match with 304 and no body. Responses that flush early (streams, watches) or grow
/// past the buffer are passed through untouched, as are responses that set their own ETag.
/// </summary>
internal sealed class ETagMiddleware(RequestDelegate next)
{
    public const int MaxBuffered = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.WebSockets.IsWebSocketRequest)
        {
            await next(context);
            return;
        }

        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        await using var buffer = new ETagBufferStream(original, MaxBuffered);
        context.Features.Set<IHttpResponseBodyFeature>(buffer);
        try
        {
            await next(context);
            await buffer.CompleteWriterAsync();
        }
        finally
        {
            context.Features.Set(original);
        }

        if (buffer.PassedThrough)
        {
            return;
        }

        var response = context.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.ETag.Count > 0)
        {
            await buffer.CopyBufferedToAsync(context.RequestAborted);
            return;
        }

        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(buffer.Buffered.Span)[..16])}\"";
        response.Headers.ETag = etag;
        if (Matches(context.Request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.Headers.ContentLength = null;
            response.Headers.ContentType = default;
            return;
        }

        response.Headers.ContentLength = buffer.Buffered.Length;
        await buffer.CopyBufferedToAsync(context.RequestAborted);
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var ours = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(ours, useStrongComparison: false));
    }
}
