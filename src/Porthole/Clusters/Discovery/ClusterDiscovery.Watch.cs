using System.Text.Json;

namespace Porthole.Clusters.Discovery;

public sealed partial class ClusterDiscovery
{
    /// <summary>How long one CRD watch may stay open before Porthole re-lists (a safety refresh).</summary>
    private const int WatchSeconds = 300;

    /// <summary>
    /// Watches CRDs from <paramref name="resourceVersion"/>; every ADDED, MODIFIED or DELETED
    /// reloads discovery. Returns when the watch ends (timeout, 410 Expired, dropped stream), and
    /// the caller lists and watches again.
    /// </summary>
    private async Task WatchCrdsAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var path = $"{CrdPath}?watch=1&allowWatchBookmarks=true&timeoutSeconds={WatchSeconds}&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        using var response = await cluster.SendAsync(request, KubeCredential.Server, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new KubeApiException(response.StatusCode, "", "CRD watch refused");
        }

        var watching = new KeyValuePair<string, object?>("cluster", cluster.Name);
        cluster.Metrics.UpstreamWatches.Add(1, watching);
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var e = JsonDocument.Parse(line);
                var type = DiscoveryReader.Text(e.RootElement, "type");
                if (type is "ERROR" || !e.RootElement.TryGetProperty("object", out var crd))
                {
                    return;
                }

                if (type is "ADDED" or "MODIFIED")
                {
                    Remember(crd);
                }
                else if (type is "DELETED" && crd.TryGetProperty("metadata", out var meta))
                {
                    _crds.TryRemove(DiscoveryReader.Text(meta, "name"), out _);
                }

                if (type is not "BOOKMARK")
                {
                    await LoadAsync(cancellationToken);
                }
            }
        }
        finally
        {
            cluster.Metrics.UpstreamWatches.Add(-1, watching);
        }
    }
}
