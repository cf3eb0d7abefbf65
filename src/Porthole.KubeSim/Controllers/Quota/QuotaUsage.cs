using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Quota;

/// <summary>
/// What objects count against a ResourceQuota, as the quota evaluators of kube-controller-manager
/// and the ResourceQuota admission plugin count them: <c>pods</c> (not yet Succeeded or Failed),
/// the compute resources of those pods (<c>requests.cpu</c> or <c>cpu</c>, <c>requests.memory</c>
/// or <c>memory</c>, <c>limits.*</c>, ephemeral storage; a pod asks for the larger of its
/// containers' sum and its largest init container), <c>services</c>,
/// <c>services.nodeports</c>, <c>services.loadbalancers</c>, <c>configmaps</c>, <c>secrets</c>,
/// <c>persistentvolumeclaims</c>, <c>requests.storage</c>, <c>replicationcontrollers</c>,
/// <c>resourcequotas</c>, and <c>count/{resource}[.{group}]</c> of any served kind.
/// Names nothing counts are left out of the usage, as upstream leaves them.
/// </summary>
internal sealed class QuotaUsage
{
    private static readonly string[] ComputeKinds = ["cpu", "memory", "ephemeral-storage"];

    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;

    public QuotaUsage(ObjectStore store, ResourceRegistry registry)
    {
        _store = store;
        _registry = registry;
    }

    /// <summary>The namespace's usage of each resource in <paramref name="names"/> that something counts.</summary>
    public Dictionary<string, Quantity> Used(string ns, IEnumerable<string> names)
    {
        var used = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (Counted(name) is not { } type)
            {
                continue;
            }

            var total = Quantity.Zero;
            foreach (var stored in _store.All(type, ns))
            {
                total = total.Add(Of(type, stored.Parse(), name) ?? Quantity.Zero);
            }

            used[name] = total;
        }

        return used;
    }

    /// <summary>What one object adds to <paramref name="name"/>, or null when it does not count for it.</summary>
    public static Quantity? Of(ResourceType type, JsonObject obj, string name)
    {
        switch (type.StorageKey, name)
        {
            case ("pods", _) when Terminal(obj):
                return null;
            case ("pods", "pods" or "count/pods"):
                return Quantity.Count(1);
            case ("pods", _) when Compute(name) is { } compute:
                return PodResource(obj, compute.Limits, compute.Resource);
            case ("services", "services.nodeports") when obj.Str("spec", "type") is "NodePort" or "LoadBalancer":
                return Quantity.Count(obj.Arr("spec", "ports")?.Count ?? 0);
            case ("services", "services.loadbalancers") when obj.Str("spec", "type") == "LoadBalancer":
                return Quantity.Count(1);
            case ("persistentvolumeclaims", "requests.storage"):
                return Quantity.Parse(obj.Str("spec", "resources", "requests", "storage"));
            case (_, _) when name == type.StorageKey || name == "count/" + type.StorageKey:
                return Quantity.Count(1);
            default:
                return null;
        }
    }

    /// <summary>The served kind a quota resource name counts, or null.</summary>
    public ResourceType? Counted(string name)
    {
        var key = name switch
        {
            "pods" or "count/pods" => "pods",
            "services.nodeports" or "services.loadbalancers" => "services",
            "requests.storage" => "persistentvolumeclaims",
            "services" or "configmaps" or "secrets" or "persistentvolumeclaims" or "replicationcontrollers" or "resourcequotas" => name,
            _ when Compute(name) is not null => "pods",
            _ when name.StartsWith("count/", StringComparison.Ordinal) => name["count/".Length..],
            _ => null,
        };
        return key is null ? null : _registry.All.FirstOrDefault(t => t.StorageKey == key && !t.IsVirtual);
    }

    /// <summary>"cpu" and "requests.cpu" are requests, "limits.cpu" limits, for cpu, memory and ephemeral storage.</summary>
    public static (bool Limits, string Resource)? Compute(string name)
    {
        var limits = name.StartsWith("limits.", StringComparison.Ordinal);
        var resource = limits ? name["limits.".Length..] : name.StartsWith("requests.", StringComparison.Ordinal) ? name["requests.".Length..] : name;
        return ComputeKinds.Contains(resource) ? (limits, resource) : null;
    }

    /// <summary>The containers of a pod without an explicit value of a compute resource a quota names (the "must specify" rule).</summary>
    public static IReadOnlyList<string> Unspecified(JsonObject pod, string name)
    {
        if (Compute(name) is not { } compute || compute.Resource == "ephemeral-storage")
        {
            return [];
        }

        return [.. Containers(pod)
            .Where(c => Value(c, compute.Limits, compute.Resource) is null)
            .Select(c => c.Str("name") ?? "")
            .Order(StringComparer.Ordinal)];
    }

    private static Quantity PodResource(JsonObject pod, bool limits, string resource)
    {
        var sum = Quantity.Zero;
        foreach (var c in pod.Arr("spec", "containers")?.OfType<JsonObject>() ?? [])
        {
            sum = sum.Add(Value(c, limits, resource) ?? Quantity.Zero);
        }

        foreach (var c in pod.Arr("spec", "initContainers")?.OfType<JsonObject>() ?? [])
        {
            sum = Quantity.Max(sum, Value(c, limits, resource) ?? Quantity.Zero);
        }

        return sum;
    }

    /// <summary>A container's request (its limit when only that is set, as defaulting copies it) or limit.</summary>
    private static Quantity? Value(JsonObject container, bool limits, string resource) =>
        Quantity.Parse(container.Str("resources", limits ? "limits" : "requests", resource))
        ?? (limits ? null : Quantity.Parse(container.Str("resources", "limits", resource)));

    private static IEnumerable<JsonObject> Containers(JsonObject pod) =>
        (pod.Arr("spec", "containers")?.OfType<JsonObject>() ?? []).Concat(pod.Arr("spec", "initContainers")?.OfType<JsonObject>() ?? []);

    private static bool Terminal(JsonObject pod) => pod.Str("status", "phase") is "Succeeded" or "Failed";
}
