using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderRequestLoggerExtensions
{
    /// <summary>Stage 2: one log line per request (method, path, status, duration, id, user).</summary>
    public static IApplicationBuilder UsePortholeRequestLogger(this IApplicationBuilder app) => app.UseMiddleware<RequestLoggerMiddleware>();
}
