using Porthole.Clusters;
using Porthole.Hosting;

namespace Microsoft.AspNetCore.Builder;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cluster registry (one client and circuit breaker per cluster), the discovery
    /// loops, and the in-process KubeSim in demo mode.
    /// </summary>
    public static WebApplicationBuilder AddPortholeClusters(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClusterRegistry>();
        if (builder.Services.Any(d => d.ServiceType == typeof(PortholeOptions) && d.ImplementationInstance is PortholeOptions { Demo: true }))
        {
            builder.Services.AddHostedService<DemoClusterService>();
        }

        builder.Services.AddHostedService<ClusterDiscoveryService>();
        return builder;
    }
}
