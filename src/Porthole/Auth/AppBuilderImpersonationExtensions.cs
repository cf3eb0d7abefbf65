using Porthole.Auth;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderImpersonationExtensions
{
    /// <summary>Stage 10: strip client Impersonate-* headers; record whom Kubernetes calls act as.</summary>
    public static IApplicationBuilder UsePortholeImpersonation(this IApplicationBuilder app) => app.UseMiddleware<ImpersonationMiddleware>();
}
