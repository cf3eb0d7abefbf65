namespace Microsoft.AspNetCore.Builder;

public static class ApiExtensions
{
    /// <summary>
    /// The /api/v1 surface. For now only the group itself (with its 30 s timeout); the cluster
    /// and resource endpoints come with the cluster layer.
    /// </summary>
    public static IEndpointRouteBuilder MapPortholeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortholeApiGroup();
        return endpoints;
    }
}
