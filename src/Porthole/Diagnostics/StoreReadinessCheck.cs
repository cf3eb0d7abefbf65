using Microsoft.Extensions.Diagnostics.HealthChecks;
using Porthole.Storage;

namespace Porthole.Diagnostics;

/// <summary>
/// The store's part of /readyz: Healthy while it answers; Degraded (still 200, so the replica
/// keeps serving reads of Kubernetes) while it is down, with why and since when. Sign-ins and
/// audited changes answer 503 <c>store_unavailable</c> meanwhile; /metrics has porthole_store_up.
/// </summary>
internal sealed class StoreReadinessCheck(PortholeStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Health.Down is { } down
            ? HealthCheckResult.Degraded($"{store.Provider} store at {store.Description} unavailable since {down.Since:O}: {down.Error}")
            : HealthCheckResult.Healthy($"{store.Provider} store at {store.Description}"));
}
