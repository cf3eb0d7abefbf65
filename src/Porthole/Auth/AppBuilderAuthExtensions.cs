using Porthole.Auth;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderAuthExtensions
{
    /// <summary>Stage 9: establish the signed-in user (mode none: the kubeconfig's identity).</summary>
    public static IApplicationBuilder UsePortholeAuth(this IApplicationBuilder app) => app.UseMiddleware<AuthMiddleware>();
}
