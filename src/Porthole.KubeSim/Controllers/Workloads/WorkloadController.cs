using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Workloads;

/// <summary>
/// The workload half of kube-controller-manager: the deployment, replicaset, statefulset and
/// daemonset controllers in one loop over an unbounded store watch. Events mark objects dirty;
/// after each batch the dirty ones are synced from the store (pods from an in-memory index).
/// </summary>
public sealed partial class WorkloadController : IAsyncDisposable
{
    private const int BatchSize = 4096;

    private readonly ObjectStore _store;
    private readonly Deleter _deleter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResourceType _pods;
    private readonly ResourceType _nodes;
    private readonly ResourceType _deployments;
    private readonly ResourceType _replicaSets;
    private readonly ResourceType _statefulSets;
    private readonly ResourceType _daemonSets;
    private readonly ResourceType _revisions;
    private readonly ResourceType _namespaces;
    private readonly ControllerEvents _events;
    private readonly PodIndex _podIndex = new();
    private readonly HashSet<Key> _dirty = [];
    private readonly PriorityQueue<Key, long> _due = new();
    private readonly Dictionary<Key, long> _scheduled = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public WorkloadController(ObjectStore store, ResourceRegistry registry, Deleter deleter, TimeProvider time, ILogger logger)
    {
        _store = store;
        _deleter = deleter;
        _time = time;
        _logger = logger;
        _pods = Find(registry, "", "pods");
        _nodes = Find(registry, "", "nodes");
        _deployments = Find(registry, "apps", "deployments");
        _replicaSets = Find(registry, "apps", "replicasets");
        _statefulSets = Find(registry, "apps", "statefulsets");
        _daemonSets = Find(registry, "apps", "daemonsets");
        _revisions = Find(registry, "apps", "controllerrevisions");
        _namespaces = Find(registry, "", "namespaces");
        _events = new ControllerEvents(store, Find(registry, "", "events"));
    }

    /// <summary>Starts the loop in the background.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static ResourceType Find(ResourceRegistry registry, string group, string plural) =>
        registry.Find(group, "v1", plural) ?? throw new InvalidOperationException($"{plural} are not registered");

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var watch = Relist();
                await WatchLoop(watch, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException e) when (e.Code == 410)
            {
                // the history moved past us: list again
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // an object the controllers cannot handle must not stop them: note it and relist
                LogLoopError(_logger, e);
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

    private StoreWatch Relist()
    {
        _podIndex.Clear();
        _due.Clear();
        _scheduled.Clear();
        var page = _store.List(_pods, null);
        foreach (var pod in page.Items)
        {
            _podIndex.Upsert(pod);
        }

        var watch = _store.Watch(null, page.ResourceVersion, capacity: 0);
        foreach (var (type, kind) in new[] { (_deployments, Kind.Deployment), (_replicaSets, Kind.ReplicaSet), (_statefulSets, Kind.StatefulSet), (_daemonSets, Kind.DaemonSet) })
        {
            foreach (var obj in _store.All(type))
            {
                _dirty.Add(new Key(kind, obj.Namespace, obj.Name));
            }
        }

        return watch;
    }

    private async Task WatchLoop(StoreWatch watch, CancellationToken ct)
    {
        var reader = watch.Events;
        while (true)
        {
            var handled = 0;
            while (handled < BatchSize && reader.TryRead(out var e))
            {
                handled++;
                Observe(e);
            }

            var now = _time.GetUtcNow();
            while (_due.TryPeek(out var key, out var ticks) && ticks <= now.UtcTicks)
            {
                _due.Dequeue();
                _dirty.Add(key);
                if (_scheduled.TryGetValue(key, out var scheduled) && scheduled <= ticks)
                {
                    _scheduled.Remove(key);
                }
            }

            SyncDirty();
            if (handled == BatchSize)
            {
                continue;
            }

            if (reader.Completion.IsCompleted)
            {
                return;
            }

            await WaitAsync(reader, now, ct);
        }
    }

    private async Task WaitAsync(ChannelReader<WatchEvent> reader, DateTimeOffset now, CancellationToken ct)
    {
        if (_dirty.Count > 0)
        {
            return;
        }

        if (!_due.TryPeek(out _, out var ticks))
        {
            await reader.WaitToReadAsync(ct);
            return;
        }

        var wait = TimeSpan.FromTicks(Math.Max(0, ticks - now.UtcTicks));
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(Task.Delay(wait, _time, either.Token), reader.WaitToReadAsync(either.Token).AsTask());
        await either.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    private void Observe(WatchEvent e)
    {
        var stored = e.Object;
        if (e.StorageKey == _pods.StorageKey)
        {
            PodFacts? facts;
            if (e.Type == WatchEvent.Deleted)
            {
                facts = _podIndex.Get(stored.Namespace, stored.Name);
                _podIndex.Remove(stored.Namespace, stored.Name, stored.Uid);
                if (facts?.Controller is { Kind: "ReplicaSet" } rs
                    && _store.Get(_replicaSets, stored.Namespace, rs.Name) is { } owner
                    && OwnerRef.ControllerOf(owner.Parse()) is { Kind: "Deployment" } deployment)
                {
                    // a Recreate rollout waits for the old pods to be gone (the deployment controller's deletePod)
                    _dirty.Add(new Key(Kind.Deployment, stored.Namespace, deployment.Name));
                }
            }
            else
            {
                facts = _podIndex.Upsert(stored);
                if (facts is null)
                {
                    return;
                }
            }

            OwnerChanged(stored.Namespace, facts?.Controller, orphanAffects: [Kind.ReplicaSet, Kind.StatefulSet, Kind.DaemonSet]);
        }
        else if (e.StorageKey == _replicaSets.StorageKey)
        {
            _dirty.Add(new Key(Kind.ReplicaSet, stored.Namespace, stored.Name));
            OwnerChanged(stored.Namespace, OwnerRef.ControllerOf(stored.Parse()), orphanAffects: [Kind.Deployment]);
        }
        else if (e.StorageKey == _deployments.StorageKey)
        {
            _dirty.Add(new Key(Kind.Deployment, stored.Namespace, stored.Name));
        }
        else if (e.StorageKey == _statefulSets.StorageKey)
        {
            _dirty.Add(new Key(Kind.StatefulSet, stored.Namespace, stored.Name));
        }
        else if (e.StorageKey == _daemonSets.StorageKey)
        {
            _dirty.Add(new Key(Kind.DaemonSet, stored.Namespace, stored.Name));
        }
        else if (e.StorageKey == _revisions.StorageKey)
        {
            OwnerChanged(stored.Namespace, OwnerRef.ControllerOf(stored.Parse()), orphanAffects: []);
        }
        else if (e.StorageKey == _nodes.StorageKey)
        {
            foreach (var ds in _store.All(_daemonSets))
            {
                _dirty.Add(new Key(Kind.DaemonSet, ds.Namespace, ds.Name));
            }
        }
    }

    /// <summary>Marks an object's controller dirty; an orphan may be adopted by any controller of the given kinds in its namespace.</summary>
    private void OwnerChanged(string ns, OwnerRef? owner, Kind[] orphanAffects)
    {
        if (owner is not null)
        {
            if (Enum.TryParse<Kind>(owner.Kind, out var kind))
            {
                _dirty.Add(new Key(kind, ns, owner.Name));
            }

            return;
        }

        foreach (var kind in orphanAffects)
        {
            foreach (var obj in _store.All(TypeOf(kind), ns))
            {
                _dirty.Add(new Key(kind, ns, obj.Name));
            }
        }
    }

    private void SyncDirty()
    {
        var batch = _dirty.OrderBy(k => k.Kind).ToList();
        _dirty.Clear();
        foreach (var key in batch)
        {
            if (!NamespaceActive(key.Namespace))
            {
                continue; // the namespace controller is emptying it: create nothing more there
            }

            try
            {
                switch (key.Kind)
                {
                    case Kind.Deployment:
                        SyncDeployment(key.Namespace, key.Name);
                        break;
                    case Kind.ReplicaSet:
                        SyncReplicaSet(key.Namespace, key.Name);
                        break;
                    case Kind.StatefulSet:
                        SyncStatefulSet(key.Namespace, key.Name);
                        break;
                    case Kind.DaemonSet:
                        SyncDaemonSet(key.Namespace, key.Name);
                        break;
                }
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // changed under us: the write's own event brings the object back for another sync
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSyncError(_logger, key.Kind.ToString(), key.Namespace, key.Name, e);
            }
        }
    }

    private bool NamespaceActive(string ns) =>
        _store.Get(_namespaces, "", ns) is { } stored && stored.Parse().Str("metadata", "deletionTimestamp") is null;

    /// <summary>Syncs an object again at <paramref name="at"/>, unless it is already due by then.</summary>
    private void Requeue(Kind kind, string ns, string name, DateTimeOffset at)
    {
        var key = new Key(kind, ns, name);
        if (_scheduled.TryGetValue(key, out var ticks) && ticks <= at.UtcTicks)
        {
            return;
        }

        _scheduled[key] = at.UtcTicks;
        _due.Enqueue(key, at.UtcTicks);
    }

    private ResourceType TypeOf(Kind kind) => kind switch
    {
        Kind.Deployment => _deployments,
        Kind.ReplicaSet => _replicaSets,
        Kind.StatefulSet => _statefulSets,
        _ => _daemonSets,
    };

    [LoggerMessage(20, LogLevel.Warning, "workload controller loop failed; relisting")]
    private static partial void LogLoopError(ILogger logger, Exception ex);

    [LoggerMessage(21, LogLevel.Warning, "syncing {Kind} {Namespace}/{Name} failed")]
    private static partial void LogSyncError(ILogger logger, string kind, string @namespace, string name, Exception ex);

    /// <summary>A workload and its selector; null when it is gone or its selector is empty (it would select every pod: the API forbids it).</summary>
    private (System.Text.Json.Nodes.JsonObject Obj, Query.LabelSelector Selector)? Selecting(ResourceType type, string ns, string name)
    {
        var obj = _store.Get(type, ns, name)?.Parse();
        var selector = obj is null ? null : Query.LabelSelector.FromJson(obj.Obj("spec", "selector"));
        return obj is null || selector!.IsEmpty ? null : (obj, selector);
    }

    /// <summary>Workload kinds in sync order: owners before what they own.</summary>
    private enum Kind
    {
        Deployment,
        ReplicaSet,
        StatefulSet,
        DaemonSet,
    }

    private readonly record struct Key(Kind Kind, string Namespace, string Name);
}
