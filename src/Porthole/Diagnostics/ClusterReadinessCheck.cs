using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;
using Porthole.Clusters;

namespace Porthole.Diagnostics;

/// <summary>
/// Ready when clusters are loaded, every cluster's discovery is loaded and every distinct API
/// server answers /version (through the cluster layer, so an open circuit answers at once).
/// </summary>
internal sealed class ClusterReadinessCheck(ClusterRegistry registry) : IHealthCheck
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!registry.Loaded)
        {
            return HealthCheckResult.Unhealthy("clusters not loaded yet");
        }

        if (registry.Clusters.Count == 0)
        {
            return HealthCheckResult.Unhealthy("no cluster configured");
        }

        var failures = registry.Clusters.Where(c => c.Discovery.Snapshot is null).Select(c => $"{c.Name}: discovery not loaded").ToList();
        foreach (var cluster in registry.Clusters.DistinctBy(c => c.Server))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            try
            {
                using var version = await cluster.GetJsonAsync("version", KubeCredential.Server, timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or BrokenCircuitException or KubeApiException or JsonException)
            {
                failures.Add($"{cluster.Name}: {e.GetType().Name}");
            }
        }

        return failures.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", failures));
    }
}
