using Porthole.Diagnostics;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderMetricsExtensions
{
    /// <summary>Counts every request by route, method and status and times it.</summary>
    public static IApplicationBuilder UsePortholeMetrics(this IApplicationBuilder app) => app.UseMiddleware<HttpMetricsMiddleware>();
}
