using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Disruption;

/// <summary>
/// Keeps every PodDisruptionBudget's status current (currentHealthy, desiredHealthy,
/// disruptionsAllowed, expectedPods, observedGeneration, the DisruptionAllowed condition):
/// lists, then watches the store and recomputes the budgets of namespaces where pods, budgets
/// or workload scales changed; relists when its watch closes or expires.
/// </summary>
public sealed partial class DisruptionController : IAsyncDisposable
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(10);

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DisruptionBudgets _budgets;
    private readonly HashSet<string> _watched;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public DisruptionController(ObjectStore store, ResourceRegistry registry, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _budgets = new DisruptionBudgets(store, registry);
        _watched = new HashSet<string>(StringComparer.Ordinal) { _budgets.Pods.StorageKey, _budgets.Budgets.StorageKey };
        foreach (var (group, plural) in new[] { ("apps", "replicasets"), ("apps", "deployments"), ("apps", "statefulsets"), ("", "replicationcontrollers") })
        {
            if (registry.Find(group, "v1", plural) is { } type)
            {
                _watched.Add(type.StorageKey);
            }
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var watch = _store.Watch(null, _store.ResourceVersion, capacity: 0);
                using (watch)
                {
                    SyncAll();
                    await FollowAsync(watch, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ApiException or InvalidOperationException or System.Text.Json.JsonException)
            {
                LogSyncFailed(_logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Recomputes budgets of namespaces that changed; returns when the watch closes.</summary>
    private async Task FollowAsync(StoreWatch watch, CancellationToken ct)
    {
        var reader = watch.Events;
        var dirty = new HashSet<string>(StringComparer.Ordinal);
        var nextResync = _time.GetUtcNow() + Resync;
        while (true)
        {
            while (reader.TryRead(out var e))
            {
                if (_watched.Contains(e.StorageKey) && !dirty.Contains(e.Object.Namespace) && _store.Count(_budgets.Budgets, e.Object.Namespace) > 0)
                {
                    dirty.Add(e.Object.Namespace);
                }
            }

            foreach (var ns in dirty)
            {
                SyncNamespace(ns);
            }

            dirty.Clear();
            if (reader.Completion.IsCompleted)
            {
                return;
            }

            var now = _time.GetUtcNow();
            if (now >= nextResync)
            {
                SyncAll();
                nextResync = now + Resync;
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(nextResync - now, _time, either.Token);
            await Task.WhenAny(delay, reader.WaitToReadAsync(either.Token).AsTask());
            await either.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    private void SyncAll()
    {
        foreach (var ns in _store.All(_budgets.Budgets).Select(b => b.Namespace).Distinct(StringComparer.Ordinal))
        {
            SyncNamespace(ns);
        }
    }

    private void SyncNamespace(string ns)
    {
        foreach (var stored in _store.All(_budgets.Budgets, ns))
        {
            var pdb = stored.Parse();
            var status = _budgets.Status(pdb, _time.GetUtcNow());
            if (JsonNode.DeepEquals(pdb["status"], status))
            {
                continue;
            }

            try
            {
                // Written only over the version computed from: a budget changed meanwhile (an eviction) is recomputed on its own event.
                _store.Mutate(_budgets.Budgets, ns, stored.Name, o =>
                {
                    if (o.ResourceVersion() != pdb.ResourceVersion())
                    {
                        return false;
                    }

                    o["status"] = status;
                    return true;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // deleted meanwhile
            }
        }
    }

    [LoggerMessage(30, LogLevel.Warning, "disruption controller failed; relisting")]
    private static partial void LogSyncFailed(ILogger logger, Exception e);
}
