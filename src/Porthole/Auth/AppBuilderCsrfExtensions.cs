using Porthole.Auth;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderCsrfExtensions
{
    /// <summary>Stage 11: unsafe methods not authenticated by a Bearer header need X-Requested-With.</summary>
    public static IApplicationBuilder UsePortholeCsrf(this IApplicationBuilder app) => app.UseMiddleware<CsrfMiddleware>();
}
