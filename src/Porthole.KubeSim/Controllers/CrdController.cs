using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.OpenApi;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers;

/// <summary>
/// Serves the resources of CustomResourceDefinitions: registers their versions when a CRD is
/// created or changed (and marks it Established), and when it is deleted stops serving them
/// and deletes their objects.
/// </summary>
public sealed class CrdController
{
    public const string StorageKey = "customresourcedefinitions.apiextensions.k8s.io";

    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Group, string Plural), (string Uid, string Rv, JsonObject Crd)> _served = [];
    private readonly object _gate = new();

    public CrdController(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        _registry = registry;
        _time = time;
    }

    private ResourceType Crds => _registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;

    /// <summary>The CRD behind a custom resource type (for printer columns and schemas).</summary>
    public JsonObject? CrdFor(ResourceType type)
    {
        lock (_gate)
        {
            return type.IsCustom && _served.TryGetValue((type.Group, type.Plural), out var s) ? s.Crd : null;
        }
    }

    public IReadOnlyList<JsonObject> All()
    {
        lock (_gate)
        {
            return _served.Values.Select(v => v.Crd).ToList();
        }
    }

    public void Observe(WatchEvent e)
    {
        if (e.StorageKey != StorageKey)
        {
            return;
        }

        if (e.Type == WatchEvent.Deleted)
        {
            Unserve(e.Object.Parse());
            return;
        }

        Sync(e.Object);
    }

    /// <summary>Brings serving in line with one stored CRD; called right after writes too, so a
    /// client may use the new resource as soon as its create returns.</summary>
    public void Sync(StoredObject stored)
    {
        var crd = stored.Parse();
        if (crd.Str("metadata", "deletionTimestamp") is not null)
        {
            Unserve(crd);
            try
            {
                _store.Mutate(Crds, "", stored.Name, o =>
                {
                    o.Metadata().Remove("finalizers");
                    return true;
                });
                _store.Remove(Crds, "", stored.Name, stored.Uid);
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }

            return;
        }

        var group = crd.Str("spec", "group") ?? "";
        var plural = crd.Str("spec", "names", "plural") ?? "";
        var rv = crd.ResourceVersion();
        lock (_gate)
        {
            if (_served.TryGetValue((group, plural), out var known) && known.Uid == stored.Uid && known.Rv == rv)
            {
                return;
            }

            _served[(group, plural)] = (stored.Uid, rv, crd);
        }

        _registry.SetCustom(group, plural, CrdResources.FromCrd(crd));
        if (!IsEstablished(crd))
        {
            try
            {
                _store.Mutate(Crds, "", stored.Name, o =>
                {
                    CrdResources.MarkEstablished(o, _time.GetUtcNow());
                    return true;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        }
    }

    private void Unserve(JsonObject crd)
    {
        var group = crd.Str("spec", "group") ?? "";
        var plural = crd.Str("spec", "names", "plural") ?? "";
        lock (_gate)
        {
            if (!_served.Remove((group, plural)))
            {
                return;
            }
        }

        var type = _registry.FindPreferred(group, plural);
        _registry.RemoveCustom(group, plural);
        if (type is not null)
        {
            _store.Drop(type);
        }
    }

    private static bool IsEstablished(JsonObject crd) =>
        crd.Arr("status", "conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Established" && c.Str("status") == "True") == true;
}
