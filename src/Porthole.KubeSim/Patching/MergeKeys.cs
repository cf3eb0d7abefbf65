namespace Porthole.KubeSim.Patching;

/// <summary>How a list field merges: replaced whole, merged as a set of scalars, or merged
/// as a map keyed by one or more fields of its items.</summary>
public enum ListKind
{
    Atomic,
    Set,
    Map,
}

/// <summary>
/// The merge strategy of one list field. <see cref="MergeKey"/> is the strategic-merge-patch
/// key (x-kubernetes-patch-merge-key); <see cref="MapKeys"/> are the server-side-apply keys
/// (x-kubernetes-list-map-keys).
/// </summary>
public sealed record ListStrategy(ListKind Kind, string? MergeKey, IReadOnlyList<string> MapKeys)
{
    public static readonly ListStrategy Atomic = new(ListKind.Atomic, null, []);
    public static readonly ListStrategy Set = new(ListKind.Set, null, []);

    public static ListStrategy Map(string mergeKey, params string[] mapKeys) =>
        new(ListKind.Map, mergeKey, mapKeys.Length == 0 ? [mergeKey] : mapKeys);
}

/// <summary>
/// The list merge strategies of the built-in kinds, as declared by the Kubernetes Go types'
/// patchStrategy/patchMergeKey and listType/listMapKey tags. One table serves strategic merge
/// patch, server-side apply and the OpenAPI extensions, so they never disagree.
/// </summary>
public static class MergeKeys
{
    private static readonly Dictionary<string, ListStrategy> ByField = new(StringComparer.Ordinal)
    {
        ["containers"] = ListStrategy.Map("name"),
        ["initContainers"] = ListStrategy.Map("name"),
        ["ephemeralContainers"] = ListStrategy.Map("name"),
        ["env"] = ListStrategy.Map("name"),
        ["volumes"] = ListStrategy.Map("name"),
        ["volumeMounts"] = ListStrategy.Map("mountPath"),
        ["volumeDevices"] = ListStrategy.Map("devicePath"),
        ["imagePullSecrets"] = ListStrategy.Map("name"),
        ["conditions"] = ListStrategy.Map("type"),
        ["ownerReferences"] = ListStrategy.Map("uid"),
        ["hostAliases"] = ListStrategy.Map("ip"),
        ["resourceClaims"] = ListStrategy.Map("name"),
        ["topologySpreadConstraints"] = ListStrategy.Map("topologyKey", "topologyKey", "whenUnsatisfiable"),
        ["addresses"] = ListStrategy.Map("type"),
        ["finalizers"] = ListStrategy.Set,
    };

    private static readonly ListStrategy ContainerPorts = ListStrategy.Map("containerPort", "containerPort", "protocol");
    private static readonly ListStrategy ServicePorts = ListStrategy.Map("port", "port", "protocol");

    /// <summary>
    /// The strategy for the list at <paramref name="path"/>: the object field names from the
    /// root down to the list (list indices left out), e.g. spec, template, spec, containers.
    /// Unknown lists are atomic, as for a CRD without x-kubernetes-list-type.
    /// </summary>
    public static ListStrategy For(string kind, IReadOnlyList<string> path)
    {
        if (path.Count == 0)
        {
            return ListStrategy.Atomic;
        }

        var field = path[^1];
        if (field == "ports")
        {
            var parent = path.Count >= 2 ? path[^2] : "";
            return parent switch
            {
                "containers" or "initContainers" or "ephemeralContainers" => ContainerPorts,
                "spec" when kind == "Service" => ServicePorts,
                _ => ListStrategy.Atomic,
            };
        }

        if (field == "finalizers" && (path.Count != 2 || path[0] != "metadata"))
        {
            return ListStrategy.Atomic;
        }

        return ByField.TryGetValue(field, out var strategy) ? strategy : ListStrategy.Atomic;
    }
}
