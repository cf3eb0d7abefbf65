using Porthole.Hosting;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderCorsExtensions
{
    /// <summary>
    /// Stage 5 services: ASP.NET Core's CORS with the PORTHOLE_CORS_ORIGINS allowlist as the
    /// default policy. An empty list allows nothing cross-origin.
    /// </summary>
    public static IServiceCollection AddPortholeCors(this IServiceCollection services, PortholeOptions options) =>
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (options.CorsOrigins.Count == 0)
            {
                return;
            }

            policy.WithOrigins([.. options.CorsOrigins])
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "X-Requested-With", "X-Request-ID")
                .WithExposedHeaders("X-Request-ID", "ETag", "Retry-After")
                .AllowCredentials()
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));

    /// <summary>Stage 5: CORS preflight and response headers.</summary>
    public static IApplicationBuilder UsePortholeCors(this IApplicationBuilder app) => app.UseCors();
}
