using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderRecoveryExtensions
{
    /// <summary>Stage 3: an unhandled exception becomes a 500 problem+json; the process stays up.</summary>
    public static IApplicationBuilder UsePortholeRecovery(this IApplicationBuilder app) => app.UseMiddleware<RecoveryMiddleware>();
}
