using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers;

/// <summary>
/// The garbage collector: follows ownerReferences. When an owner is gone its dependents are
/// deleted (background), an owner with the foregroundDeletion finalizer waits until its
/// dependents are gone, and one with the orphan finalizer first releases them.
/// Fed by <see cref="ControllerHost"/> from the store's event stream.
/// </summary>
internal sealed class GarbageCollector
{
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly Deleter _deleter;
    private readonly Dictionary<string, ObjectRef> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _ownersOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _foregroundWaiting = new(StringComparer.Ordinal);

    public GarbageCollector(ObjectStore store, ResourceRegistry registry, Deleter deleter)
    {
        _store = store;
        _registry = registry;
        _deleter = deleter;
    }

    public void Observe(WatchEvent e)
    {
        var obj = e.Object;
        var uid = obj.Uid;
        if (uid.Length == 0)
        {
            return;
        }

        if (e.Type == WatchEvent.Deleted)
        {
            _byUid.Remove(uid);
            Unindex(uid);
            if (_dependents.Remove(uid, out var orphans))
            {
                foreach (var dependent in orphans)
                {
                    Release(dependent, uid, deleteWhenOrphaned: true);
                }
            }

            return;
        }

        _byUid[uid] = new ObjectRef(e.StorageKey, obj.Namespace, obj.Name);
        var parsed = obj.Parse();
        Unindex(uid);
        var owners = parsed.Arr("metadata", "ownerReferences")?.OfType<JsonObject>().Select(o => o.Str("uid") ?? "").Where(u => u.Length > 0).ToArray() ?? [];
        if (owners.Length > 0)
        {
            _ownersOf[uid] = owners;
            foreach (var owner in owners)
            {
                if (!_dependents.TryGetValue(owner, out var set))
                {
                    set = [];
                    _dependents[owner] = set;
                }

                set.Add(uid);
                if (!_byUid.ContainsKey(owner) && e.Type == WatchEvent.Added)
                {
                    // Created with an owner that no longer exists: collect it as the real GC would.
                    Release(uid, owner, deleteWhenOrphaned: true);
                }
            }
        }

        if (parsed.Str("metadata", "deletionTimestamp") is not null)
        {
            Finalize(uid, e.StorageKey, parsed);
        }
    }

    /// <summary>Called after each batch of events: owners waiting in foreground deletion re-check.</summary>
    public void Settle()
    {
        foreach (var uid in _foregroundWaiting.ToList())
        {
            if (_dependents.ContainsKey(uid))
            {
                continue;
            }

            _foregroundWaiting.Remove(uid);
            if (_byUid.TryGetValue(uid, out var where) && Type(where.StorageKey) is { } type)
            {
                RemoveFinalizer(type, where, Deleter.ForegroundFinalizer);
            }
        }
    }

    private void Finalize(string uid, string storageKey, JsonObject obj)
    {
        var finalizers = Deleter.Finalizers(obj);
        var type = Type(storageKey);
        if (type is null)
        {
            return;
        }

        var where = new ObjectRef(storageKey, obj.Namespace(), obj.Name());
        if (finalizers.Contains(Deleter.OrphanFinalizer))
        {
            foreach (var dependent in _dependents.GetValueOrDefault(uid)?.ToList() ?? [])
            {
                Release(dependent, uid, deleteWhenOrphaned: false);
            }

            _dependents.Remove(uid);
            RemoveFinalizer(type, where, Deleter.OrphanFinalizer);
        }
        else if (finalizers.Contains(Deleter.ForegroundFinalizer))
        {
            var dependents = _dependents.GetValueOrDefault(uid);
            if (dependents is null || dependents.Count == 0)
            {
                RemoveFinalizer(type, where, Deleter.ForegroundFinalizer);
                return;
            }

            _foregroundWaiting.Add(uid);
            foreach (var dependent in dependents.ToList())
            {
                if (_byUid.TryGetValue(dependent, out var d) && Type(d.StorageKey) is { } dt)
                {
                    TryDelete(dt, d, DeleteOptions.Default with { Propagation = DeleteOptions.Foreground });
                }
            }
        }
    }

    /// <summary>Drops the owner reference to <paramref name="ownerUid"/>; deletes the dependent if it has no owner left.</summary>
    private void Release(string dependentUid, string ownerUid, bool deleteWhenOrphaned)
    {
        if (!_byUid.TryGetValue(dependentUid, out var where) || Type(where.StorageKey) is not { } type)
        {
            return;
        }

        var remaining = _ownersOf.GetValueOrDefault(dependentUid)?.Where(o => o != ownerUid && _byUid.ContainsKey(o)).ToList() ?? [];
        if (deleteWhenOrphaned && remaining.Count == 0)
        {
            TryDelete(type, where, DeleteOptions.Default with { Propagation = DeleteOptions.Background });
            return;
        }

        try
        {
            _store.Mutate(type, where.Namespace, where.Name, o =>
            {
                var refs = o.Arr("metadata", "ownerReferences");
                var match = refs?.OfType<JsonObject>().FirstOrDefault(r => r.Str("uid") == ownerUid);
                if (match is null)
                {
                    return false;
                }

                refs!.Remove(match);
                if (refs.Count == 0)
                {
                    o.Metadata().Remove("ownerReferences");
                }

                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    private void TryDelete(ResourceType type, ObjectRef where, DeleteOptions options)
    {
        try
        {
            _deleter.Delete(type, where.Namespace, where.Name, options);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    private void RemoveFinalizer(ResourceType type, ObjectRef where, string finalizer)
    {
        try
        {
            var stored = _store.Mutate(type, where.Namespace, where.Name, o =>
            {
                var list = o.Arr("metadata", "finalizers");
                var item = list?.FirstOrDefault(f => f?.GetValue<string>() == finalizer);
                if (item is null)
                {
                    return false;
                }

                list!.Remove(item);
                if (list.Count == 0)
                {
                    o.Metadata().Remove("finalizers");
                }

                return true;
            });
            _deleter.RemoveIfReleased(type, stored);
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    private void Unindex(string uid)
    {
        if (_ownersOf.Remove(uid, out var owners))
        {
            foreach (var owner in owners)
            {
                if (_dependents.TryGetValue(owner, out var set))
                {
                    set.Remove(uid);
                    if (set.Count == 0)
                    {
                        _dependents.Remove(owner);
                    }
                }
            }
        }
    }

    private ResourceType? Type(string storageKey) => _registry.All.FirstOrDefault(t => t.StorageKey == storageKey);

    private readonly record struct ObjectRef(string StorageKey, string Namespace, string Name);
}
