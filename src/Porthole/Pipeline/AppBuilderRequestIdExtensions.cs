using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderRequestIdExtensions
{
    /// <summary>Stage 1: every response carries X-Request-ID; a well-formed incoming id is kept.</summary>
    public static IApplicationBuilder UsePortholeRequestId(this IApplicationBuilder app) => app.UseMiddleware<RequestIdMiddleware>();
}
