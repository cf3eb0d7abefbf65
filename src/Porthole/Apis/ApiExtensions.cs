using Porthole.Apis;
using Porthole.Apis.Resources;

namespace Microsoft.AspNetCore.Builder;

public static class ApiExtensions
{
    /// <summary>The /api/v1 surface (30 s timeout): clusters, discovery and the resource API.</summary>
    public static IEndpointRouteBuilder MapPortholeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortholeApiGroup()
            .MapClustersApi()
            .MapResourceApi();
        return endpoints;
    }
}
