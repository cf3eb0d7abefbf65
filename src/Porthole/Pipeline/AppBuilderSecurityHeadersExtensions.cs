using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderSecurityHeadersExtensions
{
    /// <summary>Stage 4: CSP with a per-response nonce, HSTS under TLS, frame, sniffing and referrer rules.</summary>
    public static IApplicationBuilder UsePortholeSecurityHeaders(this IApplicationBuilder app) => app.UseMiddleware<SecurityHeadersMiddleware>();
}
