using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Porthole.Diagnostics;

namespace Microsoft.AspNetCore.Builder;

public static class DiagnosticsExtensions
{
    private const string Live = "live";
    private const string Ready = "ready";

    /// <summary>Health checks (process up; clusters reachable) and the metrics instruments and exporter.</summary>
    public static WebApplicationBuilder AddPortholeDiagnostics(this WebApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<PortholeMetrics>();
        builder.Services.AddSingleton<PrometheusExporter>();
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(), [Live])
            .AddCheck<ClusterReadinessCheck>("clusters", tags: [Ready])
            .AddCheck<StoreReadinessCheck>("store", tags: [Ready]);
        return builder;
    }

    /// <summary>/healthz and /livez (process up), /readyz (clusters reachable; Degraded, still 200, while the store is down), /metrics (Prometheus text).</summary>
    public static IEndpointRouteBuilder MapPortholeDiagnostics(this IEndpointRouteBuilder endpoints)
    {
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Live) });
        endpoints.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Live) });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) });
        endpoints.MapGet("/metrics", () => Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return endpoints;
    }
}
