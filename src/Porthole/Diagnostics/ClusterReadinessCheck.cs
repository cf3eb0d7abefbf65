using k8s;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Porthole.Clusters;

namespace Porthole.Diagnostics;

/// <summary>
/// Ready when clusters are loaded and every distinct API server answers /version (through
/// KubernetesClient, as every other call will).
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

        var failures = new List<string>();
        foreach (var cluster in registry.Clusters.DistinctBy(c => c.Server))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            try
            {
                using var client = new Kubernetes(cluster.Configuration);
                await client.Version.GetCodeAsync(timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException)
            {
                failures.Add($"{cluster.Name}: {e.GetType().Name}");
            }
        }

        return failures.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", failures));
    }
}
