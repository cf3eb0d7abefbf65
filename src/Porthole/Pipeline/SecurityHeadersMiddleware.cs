using System.Security.Cryptography;

namespace Porthole.Pipeline;

/// <summary>
/// Sets the browser security headers on every response. The Content-Security-Policy allows
/// scripts and styles from this origin plus those carrying this response's nonce (exposed as
/// <see cref="ICspNonceFeature"/> for index.html); HSTS is sent only over TLS.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Features.Set<ICspNonceFeature>(new CspNonceFeature(nonce));
        context.Response.OnStarting(static state =>
        {
            var (ctx, n) = ((HttpContext, string))state;
            var headers = ctx.Response.Headers;
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self' 'nonce-{n}'; style-src 'self' 'nonce-{n}'; img-src 'self' data:; " +
                "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (ctx.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            return Task.CompletedTask;
        }, (context, nonce));
        return next(context);
    }
}
