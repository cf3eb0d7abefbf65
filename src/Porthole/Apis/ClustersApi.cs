using System.Runtime.CompilerServices;
using System.Text.Json;
using Polly.CircuitBreaker;
using Porthole.Clusters;
using Porthole.Clusters.Discovery;
using Porthole.Pipeline;

namespace Porthole.Apis;

/// <summary><c>GET /api/v1/clusters</c> and <c>GET /api/v1/clusters/{cluster}/api-resources</c>.</summary>
internal static class ClustersApi
{
    private static readonly ConditionalWeakTable<DiscoverySnapshot, byte[]> Serialized = [];

    public static RouteGroupBuilder MapClustersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clusters", (ClusterRegistry registry) => new ClusterList([.. registry.Clusters.Select(Summary)]))
            .WithName("ListClusters");
        api.MapGet("/clusters/{cluster}/api-resources", ApiResourcesAsync).WithName("ApiResources");
        return api;
    }

    private static ClusterSummary Summary(Cluster cluster) => new(cluster.Name, cluster.Server, Status(cluster), cluster.Discovery.Snapshot?.Version);

    /// <summary>unreachable while the circuit is open; ok once discovery loaded; connecting before.</summary>
    private static string Status(Cluster cluster) => cluster.Circuit switch
    {
        CircuitState.Open or CircuitState.Isolated => "unreachable",
        _ when cluster.Discovery.Snapshot is not null => "ok",
        _ => "connecting",
    };

    private static async Task ApiResourcesAsync(HttpContext context, string cluster, ClusterRegistry registry)
    {
        if (registry.Find(cluster) is not { } target)
        {
            await ClusterProblems.NotFoundAsync(context, cluster);
            return;
        }

        if (target.Discovery.Snapshot is not { } snapshot)
        {
            context.Response.Headers.RetryAfter = "1";
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "discovery_not_ready", "Discovery not loaded",
                $"Cluster '{cluster}' has not answered discovery yet ({Status(target)}).");
            return;
        }

        // Serialized once per loaded snapshot: discovery changes only when CRDs do.
        var body = Serialized.GetValue(snapshot, s => JsonSerializer.SerializeToUtf8Bytes(
            new ApiResourceList(target.Name, s.Version, s.LoadedAt, s.Resources), JsonSerializerOptions.Web));
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    internal sealed record ClusterList(IReadOnlyList<ClusterSummary> Clusters);

    internal sealed record ClusterSummary(string Name, string Server, string Status, string? Version);

    internal sealed record ApiResourceList(string Cluster, string Version, DateTimeOffset LoadedAt, IReadOnlyList<ApiResource> Resources);
}
