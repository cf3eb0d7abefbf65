using System.Collections.Concurrent;
using System.Text.Json;
using Polly.CircuitBreaker;

namespace Porthole.Clusters.Discovery;

/// <summary>
/// A cluster's discovery cache: every group, version and resource kind (CRDs included) and the
/// server version. <see cref="RunAsync"/> loads it, then watches CustomResourceDefinitions and
/// reloads on every change (no polling); after a failure it retries with backoff, through the
/// cluster's circuit breaker like every other call. Loaded with the server's own identity:
/// discovery is readable by every authenticated user in Kubernetes, so one cache serves all.
/// </summary>
public sealed partial class ClusterDiscovery(Cluster cluster, TimeProvider time, ILogger logger)
{
    internal const string CrdPath = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>How often discovery is reloaded when the cluster's identity may not list or watch CRDs.</summary>
    private static readonly TimeSpan UnwatchedRefresh = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string Group, string Plural)> _crds = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile DiscoverySnapshot? _snapshot;

    /// <summary>The last loaded discovery, or null before the first load.</summary>
    public DiscoverySnapshot? Snapshot => _snapshot;

    /// <summary>Completes after the first successful load.</summary>
    public Task WhenLoaded => _firstLoad.Task;

    /// <summary>How many times discovery has been loaded (tests and logs).</summary>
    public int Loads { get; private set; }

    /// <summary>Loads, then keeps the cache current until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListCrdsAsync(stoppingToken);
                await LoadAsync(stoppingToken);
                backoff = TimeSpan.FromSeconds(1);
                if (resourceVersion is null)
                {
                    // This identity may not read CRDs: nothing to watch, so refresh now and then instead.
                    await Task.Delay(UnwatchedRefresh, time, stoppingToken);
                    continue;
                }

                await WatchCrdsAsync(resourceVersion, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or BrokenCircuitException or KubeApiException or JsonException or IOException or OperationCanceledException)
            {
                LogFailed(logger, cluster.Name, e.GetType().Name, e.Message, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// Lists CRDs (to flag their resources) and returns the list's resourceVersion to watch
    /// from, or null when this cluster's identity may not list them.
    /// </summary>
    private async Task<string?> ListCrdsAsync(CancellationToken cancellationToken)
    {
        _crds.Clear();
        JsonDocument list;
        try
        {
            list = await cluster.GetJsonAsync(CrdPath, KubeCredential.Server, cancellationToken);
        }
        catch (KubeApiException e) when (e.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized)
        {
            LogCrdsForbidden(logger, cluster.Name, UnwatchedRefresh.TotalMinutes);
            return null;
        }

        using var owned = list;
        if (list.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var crd in items.EnumerateArray())
            {
                Remember(crd);
            }
        }

        return list.RootElement.TryGetProperty("metadata", out var meta) ? DiscoveryReader.Text(meta, "resourceVersion") : "";
    }

    private void Remember(JsonElement crd)
    {
        if (crd.TryGetProperty("metadata", out var meta) && crd.TryGetProperty("spec", out var spec) && spec.TryGetProperty("names", out var names))
        {
            _crds[DiscoveryReader.Text(meta, "name")] = (DiscoveryReader.Text(spec, "group"), DiscoveryReader.Text(names, "plural"));
        }
    }

    /// <summary>Reads /version, /api/v1, /apis and every group version, then swaps the snapshot in.</summary>
    internal async Task LoadAsync(CancellationToken cancellationToken)
    {
        using var version = await cluster.GetJsonAsync("version", KubeCredential.Server, cancellationToken);
        var crds = _crds.Values.ToHashSet();
        var resources = new ConcurrentBag<ApiResource>();
        using (var core = await cluster.GetJsonAsync("api/v1", KubeCredential.Server, cancellationToken))
        {
            foreach (var r in DiscoveryReader.Resources(core.RootElement, "", "v1", preferred: true, crds))
            {
                resources.Add(r);
            }
        }

        using var groups = await cluster.GetJsonAsync("apis", KubeCredential.Server, cancellationToken);
        var groupVersions = DiscoveryReader.GroupVersions(groups.RootElement).ToList();
        await Parallel.ForEachAsync(groupVersions, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (gv, ct) =>
        {
            try
            {
                using var list = await cluster.GetJsonAsync($"apis/{gv.Group}/{gv.Version}", KubeCredential.Server, ct);
                foreach (var r in DiscoveryReader.Resources(list.RootElement, gv.Group, gv.Version, gv.Preferred, crds))
                {
                    resources.Add(r);
                }
            }
            catch (KubeApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
            {
                // A group version that went away between /apis and now (a CRD version just removed).
            }
        });

        var sorted = resources.OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.Version, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        _snapshot = new DiscoverySnapshot(DiscoveryReader.Text(version.RootElement, "gitVersion"), sorted, time.GetUtcNow());
        Loads++;
        LogLoaded(logger, cluster.Name, sorted.Count, crds.Count);
        _firstLoad.TrySetResult();
    }

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Cluster {Cluster}: discovery loaded, {Resources} resource kinds ({Crds} from CRDs)")]
    private static partial void LogLoaded(ILogger logger, string cluster, int resources, int crds);

    [LoggerMessage(EventId = 1213, Level = LogLevel.Information, Message = "Cluster {Cluster}: this identity may not list CRDs; discovery is reloaded every {Minutes} min instead of on CRD changes")]
    private static partial void LogCrdsForbidden(ILogger logger, string cluster, double minutes);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "Cluster {Cluster}: discovery failed ({Error}: {Message}); retrying in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, string cluster, string error, string message, double seconds);
}
