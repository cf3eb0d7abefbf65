using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching;

/// <summary>
/// Strategic merge patch as the API server applies it to built-in kinds
/// (apimachinery strategicpatch.StrategicMergeMapPatch): lists merge per <see cref="MergeKeys"/>,
/// null deletes, and the directives $patch, $retainKeys, $deleteFromPrimitiveList/ and
/// $setElementOrder/ behave, and fail, as they do there.
/// </summary>
public static partial class StrategicMergePatch
{
    private const string DirectiveMarker = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
    private const string SetElementOrderPrefix = "$setElementOrder";

    /// <summary>
    /// Returns <paramref name="original"/> with <paramref name="patch"/> applied; neither input is
    /// changed. Throws <see cref="ApiException"/> with the status the real server gives: 400 for
    /// malformed directive lists, 422 for lists of lists, 500 for other failures (unknown $patch
    /// values, missing merge keys), whose messages the real server passes through unchanged.
    /// </summary>
    public static JsonObject Apply(string kind, JsonObject original, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(patch);
        var result = MergeMap((JsonObject)original.DeepClone(), (JsonObject)patch.DeepClone(), new Context(kind, []));
        StripDirectives(result);
        return result;
    }

    /// <summary>The kind being patched and the field names from the root to the current map.</summary>
    private sealed record Context(string Kind, IReadOnlyList<string> Path)
    {
        public Context Child(string field) => new(Kind, [.. Path, field]);

        /// <summary>The list's strategy: merge key ("" for a set of scalars), or null when it is replaced whole.</summary>
        public string? MergeStrategy(string field)
        {
            var strategy = MergeKeys.For(Kind, [.. Path, field]);
            return strategy.Kind switch
            {
                ListKind.Map => strategy.MergeKey ?? "",
                ListKind.Set => "",
                _ => null,
            };
        }
    }

    private static JsonObject MergeMap(JsonObject original, JsonObject patch, Context ctx)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            return DirectiveInMap(directive, patch);
        }

        ApplyRetainKeys(original, patch);
        MergeSetElementOrder(original, patch, ctx);

        foreach (var (patchKey, patchValue) in patch.ToList())
        {
            var key = patchKey;
            var isDeleteList = false;
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                key = ExtractKey(key, DeleteFromPrimitiveListPrefix);
                isDeleteList = true;
            }

            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }

            if (!original.TryGetPropertyValue(key, out var originalValue) || !SameType(originalValue, patchValue))
            {
                if (!isDeleteList)
                {
                    original[key] = patchValue.WithoutNulls();
                }

                continue;
            }

            original[key] = (originalValue, patchValue) switch
            {
                (JsonObject o, JsonObject p) => MergeMap(Detach(o), Detach(p), ctx.Child(key)),
                (JsonArray o, JsonArray p) => MergeListField(Detach(o), Detach(p), key, isDeleteList, ctx),
                _ => patchValue.DeepClone(),
            };
        }

        return original;
    }

    private static JsonArray MergeListField(JsonArray original, JsonArray patch, string field, bool isDeleteList, Context ctx)
    {
        var mergeKey = ctx.MergeStrategy(field);
        return mergeKey is null ? patch : MergeList(original, patch, mergeKey, isDeleteList, ctx.Child(field));
    }

    /// <summary>Both objects, both arrays, or both the same kind of scalar, as Go's reflect.TypeOf compares them.</summary>
    private static bool SameType(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (JsonObject, JsonObject) or (JsonArray, JsonArray) => true,
        (JsonValue va, JsonValue vb) => JsonValues.GoKind(va) == JsonValues.GoKind(vb),
        _ => false,
    };

    private static JsonObject DirectiveInMap(JsonNode? directive, JsonObject patch)
    {
        switch (DirectiveString(directive))
        {
            case "replace":
                patch.Remove(DirectiveMarker);
                return patch;
            case "delete":
                return [];
            default:
                throw BadPatchType(directive, patch);
        }
    }

    private static string? DirectiveString(JsonNode? directive) =>
        directive is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static ApiException BadPatchType(JsonNode? directive, JsonObject map) =>
        PatchErrors.Internal($"unknown patch type: {JsonValues.GoFormat(directive)} in map: {JsonValues.GoFormat(map)}");

    private static ApiException NoMergeKey(JsonObject map, string mergeKey) =>
        PatchErrors.Internal($"map: {JsonValues.GoFormat(map)} does not contain declared merge key: {mergeKey}");

    private static ApiException BadArgType(string expected, JsonNode? actual) =>
        PatchErrors.Internal($"expected a {expected}, but received a {JsonValues.GoKind(actual)}");

    private static ApiException BadRetainKeys() => ApiException.BadRequest("invalid patch format of retainKeys");

    /// <summary>
    /// Applies "$retainKeys": every patch member must be listed, and original members not listed
    /// are cleared (e.g. switching a Deployment's strategy from RollingUpdate to Recreate).
    /// </summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }

        patch.Remove(RetainKeysDirective);
        if (retain is not JsonArray list)
        {
            throw BadRetainKeys();
        }

        var keep = list.Select(JsonValues.ScalarKey).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is null || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)
                || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!keep.Contains("s:" + key))
            {
                throw BadRetainKeys();
            }
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains("s:" + k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>The field a "$prefix/field" directive key names; 400 when the key is malformed.</summary>
    private static string ExtractKey(string key, string prefix)
    {
        var parts = key.Split('/', 2);
        if (parts.Length <= 1 || parts[0] != prefix)
        {
            throw ApiException.BadRequest(prefix == DeleteFromPrimitiveListPrefix
                ? "invalid patch format of primitive list"
                : "invalid patch format of setElementOrder list");
        }

        return parts[1];
    }

    /// <summary>Takes a node out of its parent so it can be placed elsewhere without copying.</summary>
    private static T Detach<T>(T node)
        where T : JsonNode
    {
        switch (node.Parent)
        {
            case JsonObject parent:
                parent[node.GetPropertyName()] = null;
                break;
            case JsonArray array:
                array[node.GetElementIndex()] = null;
                break;
        }

        return node;
    }

    /// <summary>
    /// Removes "$"-prefixed directive members left in newly added values: the real server decodes
    /// the merged map into the Go type, which has no such fields.
    /// </summary>
    private static void StripDirectives(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
            {
                obj.Remove(key);
            }

            foreach (var (_, v) in obj)
            {
                StripDirectives(v);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                StripDirectives(item);
            }
        }
    }
}
