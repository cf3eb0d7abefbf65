using System.Security.Cryptography;

namespace Porthole.Pipeline;

/// <summary>
/// Gives every request an id (16 random bytes, lower-case hex) in the X-Request-ID response
/// header and as <see cref="IRequestIdFeature"/>. An incoming X-Request-ID of 8 to 64
/// letters, digits, '-', '_' or '.' is kept, so ids set by a proxy follow the request.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-ID";

    public Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName];
        var id = incoming.Count == 1 && IsWellFormed(incoming[0]) ? incoming[0]! : NewId();
        context.Features.Set<IRequestIdFeature>(new RequestIdFeature(id));
        context.TraceIdentifier = id;
        context.Response.OnStarting(static state =>
        {
            var (ctx, requestId) = ((HttpContext, string))state;
            ctx.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        }, (context, id));
        return next(context);
    }

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
