using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Porthole.KubeSim.Patching;

namespace Porthole.KubeSim.OpenApi;

/// <summary>
/// The x-kubernetes-list-type / list-map-keys and patch-strategy / patch-merge-key extensions of
/// a built-in list field, taken from <see cref="MergeKeys"/> so patching and OpenAPI agree.
/// </summary>
internal static class ListExtensions
{
    public static void Apply(JsonObject schema, Type declaring, string field, Type itemType)
    {
        var (kind, path) = declaring.Name switch
        {
            "V1Container" or "V1EphemeralContainer" => ("Pod", new[] { "containers", field }),
            "V1ServiceSpec" => ("Service", ["spec", field]),
            "V1ObjectMeta" => ("", ["metadata", field]),
            _ => ("", new[] { "x", field }),
        };
        var strategy = MergeKeys.For(kind, path);
        if (strategy.Kind == ListKind.Map && !HasFields(itemType, strategy.MapKeys.Append(strategy.MergeKey!)))
        {
            strategy = ListStrategy.Atomic;
        }

        if (strategy.Kind == ListKind.Set && itemType != typeof(string))
        {
            strategy = ListStrategy.Atomic;
        }

        switch (strategy.Kind)
        {
            case ListKind.Map:
                schema["x-kubernetes-list-map-keys"] = new JsonArray([.. strategy.MapKeys.Select(k => (JsonNode)k)]);
                schema["x-kubernetes-list-type"] = "map";
                schema["x-kubernetes-patch-merge-key"] = strategy.MergeKey;
                schema["x-kubernetes-patch-strategy"] = "merge";
                break;
            case ListKind.Set:
                schema["x-kubernetes-list-type"] = "set";
                schema["x-kubernetes-patch-strategy"] = "merge";
                break;
            default:
                schema["x-kubernetes-list-type"] = "atomic";
                break;
        }
    }

    private static bool HasFields(Type itemType, IEnumerable<string> names)
    {
        var fields = itemType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .ToHashSet(StringComparer.Ordinal);
        return names.All(fields.Contains);
    }
}
