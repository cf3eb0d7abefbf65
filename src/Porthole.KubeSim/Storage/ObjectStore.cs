using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Storage;

/// <summary>
/// The simulator's etcd: every object of every resource under one global, monotonically
/// increasing resourceVersion. Writes are serialised by one lock; each write is appended to a
/// bounded history and fanned out to watchers (see ObjectStore.Watch.cs).
/// </summary>
public sealed partial class ObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private long _rv;

    public ObjectStore(TimeProvider time, int historyWindow = 100_000, long initialResourceVersion = 1000)
    {
        Time = time;
        _history = new WatchEvent[Math.Max(16, historyWindow)];
        _rv = initialResourceVersion;
        _compactedRv = initialResourceVersion;
    }

    public TimeProvider Time { get; }

    /// <summary>The resourceVersion of the latest committed write.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    /// <summary>
    /// The resourceVersion of the latest write (create, update or removal) to one resource's
    /// table, 0 when it was never written: lets caches over a few tables (RBAC) skip rebuilding
    /// while other resources change.
    /// </summary>
    public long LastWrite(ResourceType type)
    {
        lock (_gate)
        {
            return _tables.TryGetValue(type.StorageKey, out var table) ? table.LastWrite : 0;
        }
    }

    public StoredObject? Get(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            return Find(type, ns, name);
        }
    }

    public int Count(ResourceType type, string? ns = null)
    {
        lock (_gate)
        {
            if (!_tables.TryGetValue(type.StorageKey, out var table))
            {
                return 0;
            }

            return ns is null ? table.Count : table.ByNamespace.TryGetValue(ns, out var names) ? names.Count : 0;
        }
    }

    /// <summary>
    /// A page of objects ordered by namespace then name, starting after <paramref name="after"/>
    /// ("namespace/name"), filtered by <paramref name="match"/>.
    /// </summary>
    public ListPage List(ResourceType type, string? ns, Func<StoredObject, bool>? match = null, long limit = 0, string? after = null)
    {
        lock (_gate)
        {
            var page = new List<StoredObject>();
            string? next = null;
            var remaining = 0L;
            if (_tables.TryGetValue(type.StorageKey, out var table))
            {
                IEnumerable<KeyValuePair<string, SortedDictionary<string, StoredObject>>> spaces =
                    ns is null ? table.ByNamespace.OrderBy(p => p.Key, StringComparer.Ordinal)
                    : table.ByNamespace.TryGetValue(ns, out var only) ? [new(ns, only)] : [];
                foreach (var (space, names) in spaces)
                {
                    foreach (var (name, obj) in names)
                    {
                        if (after is not null && string.CompareOrdinal($"{space}/{name}", after) <= 0)
                        {
                            continue;
                        }

                        if (match is not null && !match(obj))
                        {
                            continue;
                        }

                        if (limit > 0 && page.Count >= limit)
                        {
                            remaining++;
                            continue;
                        }

                        page.Add(obj);
                        next = $"{space}/{name}";
                    }
                }
            }

            return new ListPage(page, _rv, remaining > 0 ? next : null, remaining);
        }
    }

    /// <summary>Every object of a resource in every namespace, for controllers.</summary>
    public IReadOnlyList<StoredObject> All(ResourceType type, string? ns = null) => List(type, ns).Items;

    /// <summary>Stores a new object; fails with AlreadyExists. Sets resourceVersion.</summary>
    public StoredObject Create(ResourceType type, JsonObject obj)
    {
        lock (_gate)
        {
            var ns = obj.Namespace();
            var name = obj.Name();
            if (Find(type, ns, name) is not null)
            {
                throw ApiException.AlreadyExists(type, name);
            }

            return Commit(type, WatchEvent.Added, obj, previous: null);
        }
    }

    /// <summary>
    /// Replaces an object. A non-empty metadata.resourceVersion on <paramref name="obj"/> is a
    /// precondition: a stale one fails with 409 Conflict.
    /// </summary>
    public StoredObject Update(ResourceType type, JsonObject obj)
    {
        lock (_gate)
        {
            var name = obj.Name();
            var current = Find(type, obj.Namespace(), name) ?? throw ApiException.NotFound(type, name);
            var expected = obj.ResourceVersion();
            if (expected.Length > 0 && expected != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw ApiException.StaleResourceVersion(type, name);
            }

            return Commit(type, WatchEvent.Modified, obj, current);
        }
    }

    /// <summary>
    /// Reads, changes and writes one object atomically. <paramref name="change"/> gets a fresh
    /// copy and returns false to leave the object as it is. It runs under the store lock: keep it short.
    /// </summary>
    public StoredObject Mutate(ResourceType type, string ns, string name, Func<JsonObject, bool> change)
    {
        lock (_gate)
        {
            var current = Find(type, ns, name) ?? throw ApiException.NotFound(type, name);
            var copy = current.Parse();
            if (!change(copy))
            {
                return current;
            }

            copy.Metadata().Remove("resourceVersion");
            return Commit(type, WatchEvent.Modified, copy, current);
        }
    }

    /// <summary>Removes an object for good and emits DELETED. Returns null when it was not there.</summary>
    public StoredObject? Remove(ResourceType type, string ns, string name, string? uid = null)
    {
        lock (_gate)
        {
            var current = Find(type, ns, name);
            if (current is null || (uid is not null && current.Uid != uid))
            {
                return null;
            }

            var table = _tables[type.StorageKey];
            var names = table.ByNamespace[ns];
            names.Remove(name);
            table.Count--;
            if (names.Count == 0)
            {
                table.ByNamespace.Remove(ns);
            }

            _rv++;
            table.LastWrite = _rv;
            var gone = current.Parse();
            gone.Metadata()["resourceVersion"] = _rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stored = StoredObject.From(gone, _rv);
            Publish(new WatchEvent(WatchEvent.Deleted, type.StorageKey, stored, current));
            return stored;
        }
    }

    /// <summary>Drops a whole resource's storage (a deleted CRD), emitting DELETED for each object.</summary>
    public void Drop(ResourceType type)
    {
        foreach (var obj in All(type))
        {
            Remove(type, obj.Namespace, obj.Name);
        }
    }

    private StoredObject? Find(ResourceType type, string ns, string name) =>
        _tables.TryGetValue(type.StorageKey, out var table)
        && table.ByNamespace.TryGetValue(ns, out var names)
        && names.TryGetValue(name, out var obj) ? obj : null;

    private StoredObject Commit(ResourceType type, string eventType, JsonObject obj, StoredObject? previous)
    {
        _rv++;
        obj.Metadata()["resourceVersion"] = _rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = StoredObject.From(obj, _rv);
        if (!_tables.TryGetValue(type.StorageKey, out var table))
        {
            table = new Table();
            _tables[type.StorageKey] = table;
        }

        if (!table.ByNamespace.TryGetValue(stored.Namespace, out var names))
        {
            names = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            table.ByNamespace[stored.Namespace] = names;
        }

        if (previous is null)
        {
            table.Count++;
        }

        names[stored.Name] = stored;
        table.LastWrite = _rv;
        Publish(new WatchEvent(eventType, type.StorageKey, stored, previous));
        return stored;
    }

    private sealed class Table
    {
        public Dictionary<string, SortedDictionary<string, StoredObject>> ByNamespace { get; } = new(StringComparer.Ordinal);

        public int Count { get; set; }

        public long LastWrite { get; set; }
    }
}

/// <summary>One page of a list: the items, the list's resourceVersion and where to continue.</summary>
public sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? ContinueAfter, long RemainingItemCount);
