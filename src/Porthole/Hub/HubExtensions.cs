using Microsoft.Extensions.DependencyInjection.Extensions;
using Porthole.Clusters.Caching;
using Porthole.Hub;

namespace Microsoft.AspNetCore.Builder;

public static class HubExtensions
{
    /// <summary>Registers the hub: its options (unless already given), the shared watch cache and its access checks.</summary>
    public static WebApplicationBuilder AddPortholeHub(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(new HubOptions());
        builder.Services.AddSingleton<WatchAccess>();
        builder.Services.AddSingleton<WatchCache>();
        return builder;
    }

    /// <summary>
    /// Maps GET /ws (no request timeout: connections are long-lived). The drain closes every hub
    /// connection with 1001 "server shutting down" through the WebSocket tracker.
    /// </summary>
    public static IEndpointRouteBuilder MapPortholeHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ws", HubEndpoint.HandleAsync).ExcludeFromDescription();
        return endpoints;
    }
}
