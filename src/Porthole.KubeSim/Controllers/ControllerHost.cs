using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers;

/// <summary>
/// Runs the in-process control loops that every write may trigger (garbage collector,
/// namespace lifecycle, CRD serving) from one unbounded watch on the whole store.
/// </summary>
public sealed partial class ControllerHost : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly ILogger _logger;
    private readonly GarbageCollector _gc;
    private readonly NamespaceController _namespaces;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public ControllerHost(ObjectStore store, ResourceRegistry registry, TimeProvider time, ILogger logger)
    {
        _store = store;
        _registry = registry;
        _logger = logger;
        Deleter = new Deleter(store, time);
        Crds = new CrdController(store, registry, time);
        _gc = new GarbageCollector(store, registry, Deleter);
        _namespaces = new NamespaceController(store, registry, Deleter);
    }

    public Deleter Deleter { get; }

    public CrdController Crds { get; }

    public void Start()
    {
        var watch = Relist();
        _loop = Task.Run(() => RunAsync(watch, _stop.Token));
    }

    /// <summary>Watches from now on and observes every stored object as added.</summary>
    private StoreWatch Relist()
    {
        var watch = _store.Watch(null, _store.ResourceVersion, capacity: 0);
        foreach (var type in _registry.All.Where(t => !t.IsVirtual).GroupBy(t => t.StorageKey).Select(g => g.First()))
        {
            foreach (var obj in _store.All(type))
            {
                Observe(new WatchEvent(WatchEvent.Added, type.StorageKey, obj, null));
            }
        }

        return watch;
    }

    /// <summary>Namespaced objects may only be created in an existing, active namespace (NamespaceLifecycle admission).</summary>
    public void RequireActiveNamespace(ResourceType type, string ns, string name)
    {
        var namespaces = _registry.Find("", "v1", "namespaces")!;
        var stored = _store.Get(namespaces, "", ns) ?? throw ApiException.NotFound(namespaces, ns);
        if (stored.Parse().Str("metadata", "deletionTimestamp") is not null)
        {
            throw ApiException.Forbidden($"{type.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", type, name);
        }
    }

    /// <summary>After a create: a new CRD is served before its create returns.</summary>
    public void AfterCreate(ResourceType type, StoredObject stored)
    {
        if (type.StorageKey == CrdController.StorageKey)
        {
            Crds.Sync(stored);
        }
    }

    /// <summary>After an update: an object marked for deletion whose finalizers are all gone is removed now.</summary>
    public StoredObject AfterUpdate(ResourceType type, StoredObject stored)
    {
        if (type.StorageKey == CrdController.StorageKey)
        {
            Crds.Sync(stored);
        }

        Deleter.RemoveIfReleased(type, stored);
        return stored;
    }

    /// <summary>Follows the store; a closed watch (dropped by fault injection) resumes after the last event seen.</summary>
    private async Task RunAsync(StoreWatch watch, CancellationToken ct)
    {
        var lastRv = _store.ResourceVersion;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using (watch)
                {
                    while (await watch.Events.WaitToReadAsync(ct))
                    {
                        while (watch.Events.TryRead(out var e))
                        {
                            lastRv = e.ResourceVersion;
                            Observe(e);
                        }

                        Settle();
                    }
                }

                try
                {
                    watch = _store.Watch(null, lastRv, capacity: 0);
                }
                catch (ApiException e) when (e.Code == 410)
                {
                    watch = Relist();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Observe(WatchEvent e)
    {
        try
        {
            Crds.Observe(e);
            _gc.Observe(e);
            _namespaces.Observe(e);
        }
        catch (Exception ex) when (ex is ApiException or InvalidOperationException or System.Text.Json.JsonException)
        {
            LogControllerError(_logger, e.Type, e.StorageKey, e.Object.Name, ex);
        }
    }

    private void Settle()
    {
        try
        {
            _gc.Settle();
            _namespaces.Settle();
        }
        catch (Exception ex) when (ex is ApiException or InvalidOperationException)
        {
            LogControllerError(_logger, "settle", "", "", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    [LoggerMessage(1, LogLevel.Warning, "controller failed on {EventType} {StorageKey} {Name}")]
    private static partial void LogControllerError(ILogger logger, string eventType, string storageKey, string name, Exception ex);
}
