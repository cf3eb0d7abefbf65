using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// List strategies of a custom resource from its CRD's openAPIV3Schema
/// (x-kubernetes-list-type and x-kubernetes-list-map-keys), for server-side apply. Lists the
/// schema does not describe stay atomic, as on a real server; metadata keeps the built-in rules.
/// </summary>
public static class SchemaListStrategies
{
    /// <summary>The strategy function for a type, or null for built-in kinds (which use <see cref="MergeKeys"/>).</summary>
    public static Func<IReadOnlyList<string>, ListStrategy>? For(ResourceType type)
    {
        if (!type.IsCustom || type.CustomSchema is not { } schema)
        {
            return null;
        }

        return path => path.Count > 0 && path[0] == "metadata" ? MergeKeys.For(type.Kind, path) : FromSchema(schema, path);
    }

    private static ListStrategy FromSchema(JsonObject schema, IReadOnlyList<string> path)
    {
        JsonObject? node = schema;
        foreach (var field in path)
        {
            // Walk through list items: the path names only object fields.
            while (node?.Str("type") == "array")
            {
                node = node.Obj("items");
            }

            node = node?.Obj("properties", field) ?? node?.Obj("additionalProperties");
            if (node is null)
            {
                return ListStrategy.Atomic;
            }
        }

        return node.Str("x-kubernetes-list-type") switch
        {
            "set" => ListStrategy.Set,
            "map" when node.Arr("x-kubernetes-list-map-keys")?.Select(k => k?.GetValue<string>() ?? "").Where(k => k.Length > 0).ToArray() is { Length: > 0 } keys
                => ListStrategy.Map(keys[0], keys),
            _ => ListStrategy.Atomic,
        };
    }
}
