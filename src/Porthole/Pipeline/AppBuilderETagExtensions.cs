using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderETagExtensions
{
    /// <summary>Stage 7: GET responses carry a strong ETag; a matching If-None-Match gets 304.</summary>
    public static IApplicationBuilder UsePortholeETag(this IApplicationBuilder app) => app.UseMiddleware<ETagMiddleware>();
}
