using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderBodyLimitExtensions
{
    /// <summary>Stage 12: request bodies over PORTHOLE_BODY_LIMIT get 413 problem+json.</summary>
    public static IApplicationBuilder UsePortholeBodyLimit(this IApplicationBuilder app) => app.UseMiddleware<BodyLimitMiddleware>();
}
