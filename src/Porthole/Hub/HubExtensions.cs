using Microsoft.Extensions.DependencyInjection.Extensions;
using Porthole.Clusters.Caching;
using Porthole.Hub;

namespace Microsoft.AspNetCore.Builder;

public static class HubExtensions
{
    /// <summary>Registers the hub: its options (unless already given), the shared watch cache and the connection list.</summary>
    public static WebApplicationBuilder AddPortholeHub(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(new HubOptions());
        builder.Services.AddSingleton<WatchCache>();
        builder.Services.AddSingleton<HubConnections>();
        return builder;
    }

    /// <summary>
    /// Maps GET /ws (no request timeout: connections are long-lived). When the host stops, every
    /// hub connection is closed with 1001 "server shutting down" and the shared watches stop.
    /// </summary>
    public static IEndpointRouteBuilder MapPortholeHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ws", HubEndpoint.HandleAsync).ExcludeFromDescription();
        var connections = endpoints.ServiceProvider.GetRequiredService<HubConnections>();
        endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => connections.CloseAllAsync().Wait(TimeSpan.FromSeconds(5)));
        return endpoints;
    }
}
