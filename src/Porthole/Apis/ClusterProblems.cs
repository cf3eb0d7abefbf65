using System.Globalization;
using Polly.CircuitBreaker;
using Porthole.Clusters;
using Porthole.Pipeline;

namespace Porthole.Apis;

/// <summary>Porthole's answers when a cluster is unknown or does not answer (Kubernetes' own errors pass through).</summary>
internal static class ClusterProblems
{
    public static Task NotFoundAsync(HttpContext context, string cluster) =>
        Problems.WriteAsync(context, StatusCodes.Status404NotFound, "cluster_not_found", "No such cluster", $"No cluster is named '{cluster}'.");

    /// <summary>
    /// Sends <paramref name="request"/> through the cluster layer. An open circuit answers 503
    /// cluster_unavailable with Retry-After, a connection failure 502 cluster_unreachable, an
    /// upstream timeout 504 cluster_timeout; then null is returned. A cancelled request (client
    /// gone, request timeout) propagates.
    /// </summary>
    public static async Task<HttpResponseMessage?> SendAsync(HttpContext context, Cluster cluster, HttpRequestMessage request, KubeCredential credential)
    {
        try
        {
            return await cluster.SendAsync(request, credential, context.RequestAborted);
        }
        catch (BrokenCircuitException e)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((e.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "cluster_unavailable", "Cluster unavailable",
                $"Cluster '{cluster.Name}' failed repeatedly; Porthole stops calling it for a while. Retry after {seconds} s.");
        }
        catch (HttpRequestException e)
        {
            await Problems.WriteAsync(context, StatusCodes.Status502BadGateway, "cluster_unreachable", "Cluster unreachable",
                $"Cluster '{cluster.Name}' could not be reached ({e.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await Problems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "cluster_timeout", "Cluster timed out",
                $"Cluster '{cluster.Name}' did not answer in time.");
        }

        return null;
    }
}
