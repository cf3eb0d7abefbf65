using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// What field-ownership tracking needs to know of a resource's schema: how each list merges,
/// which fields the write's endpoint resets (status on the main resource, spec on status), which
/// metadata fields are never owned, and which structs a Go zero object already holds.
/// </summary>
internal sealed class ApplySchema
{
    private static readonly string[][] ServerOwned =
    [
        ["apiVersion"], ["kind"], ["metadata"], ["metadata", "name"], ["metadata", "namespace"],
        ["metadata", "creationTimestamp"], ["metadata", "selfLink"], ["metadata", "uid"],
        ["metadata", "clusterName"], ["metadata", "generation"], ["metadata", "managedFields"],
        ["metadata", "resourceVersion"],
    ];

    private static readonly string[][] PodTemplateOwner = [["spec", "template"], ["spec", "template", "metadata"], ["spec", "template", "spec"]];

    private static readonly HashSet<string> AtomicStructFields = new(StringComparer.Ordinal)
    {
        "podSelector", "namespaceSelector", "labelSelector", "secretKeyRef", "configMapKeyRef",
        "fieldRef", "resourceFieldRef", "configMapRef", "secretRef", "claimRef", "targetRef",
        "involvedObject", "regarding", "related",
    };

    private readonly Func<IReadOnlyList<string>, ListStrategy> lists;

    public ApplySchema(ResourceType type, string? subresource, Func<IReadOnlyList<string>, ListStrategy>? listStrategy)
    {
        Type = type;
        Subresource = string.IsNullOrEmpty(subresource) ? null : subresource;
        lists = listStrategy ?? DefaultLists(type);
        Stripped = Build(ServerOwned);
        Ignored = Subresource == "status"
            ? Build([["spec"]])
            : Subresource is null && type.HasSubresource("status") ? Build([["status"]]) : new FieldSet();
    }

    public ResourceType Type { get; }

    public string? Subresource { get; }

    /// <summary>Metadata the server owns; removed (not recursively) from every recorded set.</summary>
    public FieldSet Stripped { get; }

    /// <summary>Fields reset by the endpoint's strategy; removed with everything below them.</summary>
    public FieldSet Ignored { get; }

    public ListStrategy ListAt(IReadOnlyList<string> names) => lists(names);

    /// <summary>
    /// True for objects the Go types mark +structType=atomic (label and node selectors, object
    /// and key references, owner references): owned and replaced whole, like a scalar.
    /// <paramref name="names"/> are the field names down to the object (for list items, the list).
    /// </summary>
    public bool IsAtomicObject(IReadOnlyList<string> names)
    {
        if (names.Count == 0 || (Type.IsCustom && names[0] != "metadata"))
        {
            return false;
        }

        var field = names[^1];
        return field switch
        {
            "selector" => Type.Kind is not ("Service" or "ReplicationController"),
            "requiredDuringSchedulingIgnoredDuringExecution" => names.Count >= 2 && names[^2] == "nodeAffinity",
            "ownerReferences" => names.Count == 2 && names[0] == "metadata",
            _ => AtomicStructFields.Contains(field),
        };
    }

    /// <summary>The set a manager records: minus server-owned metadata and reset fields.</summary>
    public FieldSet Recordable(FieldSet set) => set.RecursiveDifference(Ignored).Difference(Stripped);

    /// <summary>The path element of one list item, or throws <see cref="FormatException"/>.</summary>
    public static PathElement ItemElement(ListStrategy strategy, JsonNode? item)
    {
        if (strategy.Kind == ListKind.Set)
        {
            return item is JsonObject or JsonArray
                ? throw new FormatException("set list may not have non-scalar elements")
                : PathElement.Value(item);
        }

        if (item is not JsonObject obj)
        {
            throw new FormatException(item is null
                ? "associative list with keys may not have a null element"
                : "associative list with keys may not have non-map elements");
        }

        var fields = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var key in strategy.MapKeys)
        {
            if (obj.TryGetPropertyValue(key, out var value) && value is not null)
            {
                fields.Add(KeyValuePair.Create<string, JsonNode?>(key, value));
            }
            else if (key == "protocol")
            {
                fields.Add(KeyValuePair.Create<string, JsonNode?>(key, "TCP"));
            }
            else
            {
                throw new FormatException($"associative list with keys has an element that omits key field \"{key}\" (and doesn't have default value)");
            }
        }

        return PathElement.Key(fields);
    }

    /// <summary>
    /// The structs a freshly created Go object of the kind serializes even when empty, limited
    /// to those <paramref name="after"/> has: a create's ownership starts from this, so they get
    /// no <c>"."</c> marker, as on a real cluster.
    /// </summary>
    public JsonObject ZeroObject(JsonObject after)
    {
        var zero = new JsonObject();
        if (Type.IsCustom)
        {
            return zero;
        }

        foreach (var path in ZeroPaths(Type.Kind))
        {
            if (after.At(path) is JsonObject && (path.Length == 1 || zero.At(path[..^1]) is JsonObject))
            {
                zero.Set(path, new JsonObject());
            }
        }

        // PodSpec.containers has no omitempty: a zero pod spec holds "containers": null.
        foreach (var podSpec in PodSpecPaths(Type.Kind))
        {
            if (zero.At(podSpec) is JsonObject spec && after.At([.. podSpec, "containers"]) is not null)
            {
                spec["containers"] = null;
            }
        }

        return zero;
    }

    private static IEnumerable<string[]> ZeroPaths(string kind)
    {
        string[][] common = [["metadata"], ["spec"], ["status"]];
        string[][] extra = kind switch
        {
            "Deployment" => [.. PodTemplateOwner, ["spec", "strategy"]],
            "StatefulSet" or "DaemonSet" => [.. PodTemplateOwner, ["spec", "updateStrategy"]],
            "ReplicaSet" or "Job" => PodTemplateOwner,
            "PodTemplate" => [["template"], ["template", "metadata"], ["template", "spec"]],
            "CronJob" =>
            [
                ["spec", "jobTemplate"], ["spec", "jobTemplate", "metadata"], ["spec", "jobTemplate", "spec"],
                ["spec", "jobTemplate", "spec", "template"], ["spec", "jobTemplate", "spec", "template", "metadata"],
                ["spec", "jobTemplate", "spec", "template", "spec"],
            ],
            "RoleBinding" or "ClusterRoleBinding" => [["roleRef"]],
            _ => [],
        };
        return common.Concat(extra);
    }

    private static IEnumerable<string[]> PodSpecPaths(string kind) => kind switch
    {
        "Pod" => [["spec"]],
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => [["spec", "template", "spec"]],
        "PodTemplate" => [["template", "spec"]],
        "CronJob" => [["spec", "jobTemplate", "spec", "template", "spec"]],
        _ => [],
    };

    private static Func<IReadOnlyList<string>, ListStrategy> DefaultLists(ResourceType type) =>
        type.IsCustom
            ? names => names.Count > 0 && names[0] == "metadata" ? MergeKeys.For(type.Kind, names) : ListStrategy.Atomic
            : names => MergeKeys.For(type.Kind, names);

    private static FieldSet Build(IEnumerable<string[]> paths)
    {
        var set = new FieldSet();
        foreach (var p in paths)
        {
            set.Insert(FieldPath.Of(p));
        }

        return set;
    }
}
