using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Quota;

/// <summary>
/// ResourceQuota admission and status. A create in a namespace with quotas is checked against
/// each of them, as the ResourceQuota admission plugin checks it: a pod without an explicit cpu
/// or memory request (or limit) a quota names is refused ("must specify"), and an object whose
/// usage would pass a quota's hard limit is refused with the API server's 403 wording; then the
/// quotas' status (hard, used) is brought up to date at once. Creates are serialised per
/// simulator so that two cannot both take the last unit. The controller keeps status current
/// after every other change (<see cref="ResourceQuotaController"/>).
/// </summary>
internal sealed class ResourceQuotas
{
    private static readonly HashSet<string> MustSpecify = new(StringComparer.Ordinal)
    {
        "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory",
    };

    private readonly ObjectStore _store;
    private readonly QuotaUsage _usage;
    private readonly Lock _admission = new();

    public ResourceQuotas(ObjectStore store, ResourceRegistry registry)
    {
        _store = store;
        _usage = new QuotaUsage(store, registry);
        Type = registry.Find("", "v1", "resourcequotas")!;
    }

    public ResourceType Type { get; }

    /// <summary>Admits <paramref name="obj"/> against the namespace's quotas, then runs <paramref name="create"/> (null on a dry run).</summary>
    public StoredObject? Create(ResourceType type, JsonObject obj, Func<StoredObject>? create)
    {
        var ns = obj.Namespace();
        if (!type.Namespaced || (_store.Count(Type, ns) == 0 && type.StorageKey != Type.StorageKey))
        {
            return create?.Invoke();
        }

        lock (_admission)
        {
            foreach (var quota in _store.All(Type, ns))
            {
                Check(type, obj, quota.Parse());
            }

            var stored = create?.Invoke();
            if (stored is not null)
            {
                Refresh(ns);
            }

            return stored;
        }
    }

    /// <summary>Writes the current status of every quota in <paramref name="ns"/> that changed.</summary>
    public void Refresh(string ns)
    {
        foreach (var stored in _store.All(Type, ns))
        {
            var status = Status(stored.Parse());
            try
            {
                _store.Mutate(Type, ns, stored.Name, o =>
                {
                    if (JsonNode.DeepEquals(o["status"], status))
                    {
                        return false;
                    }

                    o["status"] = status.DeepClone();
                    return true;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // deleted meanwhile
            }
        }
    }

    /// <summary>status.hard (spec.hard) and status.used, as the resource quota controller writes them.</summary>
    public JsonObject Status(JsonObject quota)
    {
        var hard = Hard(quota);
        var used = new JsonObject();
        foreach (var (name, value) in _usage.Used(quota.Namespace(), hard.Keys).OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            used[name] = value.ToString();
        }

        var hardJson = new JsonObject();
        foreach (var (name, value) in hard.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            hardJson[name] = value.Text;
        }

        return new JsonObject { ["hard"] = hardJson, ["used"] = used };
    }

    private void Check(ResourceType type, JsonObject obj, JsonObject quota)
    {
        var hard = Hard(quota);
        var matched = hard.Keys.Where(k => _usage.Counted(k)?.StorageKey == type.StorageKey).ToList();
        if (matched.Count == 0)
        {
            return;
        }

        if (type.StorageKey == "pods")
        {
            var missing = matched.Where(MustSpecify.Contains)
                .Select(k => (Key: k, Containers: QuotaUsage.Unspecified(obj, k)))
                .Where(m => m.Containers.Count > 0)
                .OrderBy(m => m.Key, StringComparer.Ordinal)
                .ToList();
            if (missing.Count > 0)
            {
                var what = string.Join("; ", missing.Select(m => $"{m.Key} for: {string.Join(',', m.Containers)}"));
                throw Forbidden(type, obj, $"failed quota: {quota.Name()}: must specify {what}");
            }
        }

        var requested = new SortedDictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var key in matched)
        {
            if (QuotaUsage.Of(type, obj, key) is { Value: > 0 } q)
            {
                requested[key] = q;
            }
        }

        if (requested.Count == 0)
        {
            return;
        }

        var used = _usage.Used(obj.Namespace(), requested.Keys);
        var exceeded = requested.Keys
            .Where(k => hard[k].Value is { } limit && (used.GetValueOrDefault(k).Value + requested[k].Value) > limit.Value)
            .ToList();
        if (exceeded.Count > 0)
        {
            string Print(Func<string, string> value) => string.Join(',', exceeded.Select(k => $"{k}={value(k)}"));
            throw Forbidden(type, obj, $"exceeded quota: {quota.Name()}, requested: {Print(k => requested[k].ToString())}, used: {Print(k => used.GetValueOrDefault(k).ToString())}, limited: {Print(k => hard[k].Text)}");
        }
    }

    private static Dictionary<string, (string Text, Quantity? Value)> Hard(JsonObject quota)
    {
        var hard = new Dictionary<string, (string, Quantity?)>(StringComparer.Ordinal);
        foreach (var (name, value) in quota.Obj("spec", "hard") ?? [])
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            hard[name] = (text, Quantity.Parse(text));
        }

        return hard;
    }

    private static ApiException Forbidden(ResourceType type, JsonObject obj, string reason) =>
        ApiException.Forbidden($"{type.GroupResource} \"{obj.Name()}\" is forbidden: {reason}", type, obj.Name());
}
