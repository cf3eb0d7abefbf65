using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers;

/// <summary>
/// Empties a Terminating namespace: deletes everything in it (objects with finalizers are
/// marked and awaited), then removes the "kubernetes" finalizer so the namespace goes away.
/// </summary>
internal sealed class NamespaceController
{
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly Deleter _deleter;
    private readonly HashSet<string> _terminating = new(StringComparer.Ordinal);

    public NamespaceController(ObjectStore store, ResourceRegistry registry, Deleter deleter)
    {
        _store = store;
        _registry = registry;
        _deleter = deleter;
    }

    private ResourceType Namespaces => _registry.Find("", "v1", "namespaces")!;

    public void Observe(WatchEvent e)
    {
        if (e.StorageKey != "namespaces")
        {
            return;
        }

        if (e.Type == WatchEvent.Deleted)
        {
            _terminating.Remove(e.Object.Name);
            return;
        }

        if (e.Object.Parse().Str("metadata", "deletionTimestamp") is not null)
        {
            if (_terminating.Add(e.Object.Name))
            {
                DeleteContents(e.Object.Name);
            }
        }
        else if (e.Type == WatchEvent.Added)
        {
            EnsureDefaultServiceAccount(e.Object.Name);
        }
    }

    /// <summary>After each batch: a terminating namespace that is empty is finalized.</summary>
    public void Settle()
    {
        foreach (var ns in _terminating.ToList())
        {
            if (Contents(ns).Any(t => _store.Count(t, ns) > 0))
            {
                DeleteContents(ns);
                continue;
            }

            try
            {
                var stored = _store.Mutate(Namespaces, "", ns, o =>
                {
                    if (o.Obj("spec") is { } spec)
                    {
                        spec["finalizers"] = new System.Text.Json.Nodes.JsonArray();
                    }

                    return true;
                });
                _deleter.RemoveIfReleased(Namespaces, stored);
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }

            _terminating.Remove(ns);
        }
    }

    /// <summary>Every active namespace has a "default" ServiceAccount, as the service account controller makes sure.</summary>
    private void EnsureDefaultServiceAccount(string ns)
    {
        var type = _registry.Find("", "v1", "serviceaccounts")!;
        if (_store.Get(type, ns, "default") is not null)
        {
            return;
        }

        try
        {
            _store.Create(type, new System.Text.Json.Nodes.JsonObject
            {
                ["kind"] = "ServiceAccount",
                ["apiVersion"] = "v1",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["name"] = "default",
                    ["namespace"] = ns,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["creationTimestamp"] = Server.ObjectRules.Timestamp(_store.Time.GetUtcNow()),
                },
            });
        }
        catch (ApiException e) when (e.Code == 409)
        {
        }
    }

    private IEnumerable<ResourceType> Contents(string ns) =>
        _registry.All.Where(t => t.Namespaced && !t.IsVirtual && t.Group != "metrics.k8s.io")
            .GroupBy(t => t.StorageKey).Select(g => g.First());

    private void DeleteContents(string ns)
    {
        foreach (var type in Contents(ns))
        {
            foreach (var obj in _store.All(type, ns))
            {
                try
                {
                    _deleter.Delete(type, ns, obj.Name, DeleteOptions.Default with { Propagation = DeleteOptions.Background });
                }
                catch (ApiException e) when (e.Code is 404 or 409)
                {
                }
            }
        }
    }
}
