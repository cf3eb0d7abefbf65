using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching;

/// <summary>List merging of <see cref="StrategicMergePatch"/>: merge keys, $patch items, primitive deletions.</summary>
public static partial class StrategicMergePatch
{
    private const string MapKind = "map";

    /// <summary>Merges a list with merge strategy (mergeSlice): by merge key for maps, as a set for scalars.</summary>
    private static JsonArray MergeList(JsonArray originalArray, JsonArray patchArray, string mergeKey, bool isDeleteList, Context itemCtx)
    {
        var original = Items(originalArray);
        var patch = Items(patchArray);
        if (original.Count == 0 && patch.Count == 0)
        {
            return [];
        }

        var kind = ElementKind(original, patch);
        List<JsonNode?> merged;
        if (kind != MapKind)
        {
            if (isDeleteList)
            {
                var remove = patch.Select(JsonValues.ScalarKey).ToHashSet(StringComparer.Ordinal);
                return ToArray(original.Where(v => !remove.Contains(JsonValues.ScalarKey(v))));
            }

            merged = Deduplicate(original.Concat(patch));
        }
        else
        {
            if (mergeKey.Length == 0)
            {
                throw PatchErrors.Internal("cannot merge lists without merge key for type map");
            }

            (original, patch) = MergeSpecialElements(original, patch, mergeKey);
            merged = MergeByKey(original, patch, mergeKey, itemCtx);
        }

        var (patchItems, serverOnly) = Partition(merged, patch, mergeKey, kind);
        return ToArray(NormalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind));
    }

    /// <summary>
    /// Handles list items carrying "$patch": delete removes every original item with that key,
    /// replace makes the other patch items the whole list, merge and anything else fail as real.
    /// </summary>
    private static (List<JsonNode?> Original, List<JsonNode?> Patch) MergeSpecialElements(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey)
    {
        var plain = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(DirectiveMarker, out var directive))
            {
                plain.Add(item);
                continue;
            }

            switch (DirectiveString(directive))
            {
                case "delete":
                    if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
                    {
                        throw NoMergeKey(map, mergeKey);
                    }

                    EnsureMaps(original);
                    original = original.Where(o => !((JsonObject)o!).TryGetPropertyValue(mergeKey, out var v) || !JsonValues.ScalarEquals(v, keyValue)).ToList();
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw PatchErrors.Internal("merging lists cannot yet be specified in the patch");
                default:
                    throw BadPatchType(directive, map);
            }
        }

        return replace ? (plain, []) : (original, plain);
    }

    /// <summary>Merges each patch item into the original item with the same merge key value, or appends it.</summary>
    private static List<JsonNode?> MergeByKey(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey, Context itemCtx)
    {
        var merged = new List<JsonNode?>(original);
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw NoMergeKey(map, mergeKey);
            }

            EnsureMaps(merged);
            var index = merged.FindIndex(o => ((JsonObject)o!).TryGetPropertyValue(mergeKey, out var v) && JsonValues.ScalarEquals(v, keyValue));
            if (index >= 0)
            {
                merged[index] = MergeMap((JsonObject)merged[index]!, map, itemCtx);
            }
            else
            {
                merged.Add(map.WithoutNulls());
            }
        }

        return merged;
    }

    private static void EnsureMaps(List<JsonNode?> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject)
            {
                throw PatchErrors.Internal($"value for key {i} is not a map.");
            }
        }
    }

    /// <summary>The Go kind shared by all items; lists of lists are 422, mixed kinds 500, no items 500.</summary>
    private static string ElementKind(params IEnumerable<List<JsonNode?>> lists)
    {
        string? kind = null;
        foreach (var item in lists.SelectMany(l => l))
        {
            var current = JsonValues.GoKind(item);
            if (kind is null)
            {
                kind = current;
                if (kind == "slice")
                {
                    throw PatchErrors.Unprocessable("lists of lists are not supported");
                }
            }
            else if (kind != current)
            {
                var all = string.Join(" ", lists.Select(l => JsonValues.GoFormat(ToArray(l.Select(n => n?.DeepClone())))));
                throw PatchErrors.Internal($"list element types are not identical: [{all}]");
            }
        }

        return kind ?? throw PatchErrors.Internal("no elements in any of the given slices");
    }

    private static List<JsonNode?> Deduplicate(IEnumerable<JsonNode?> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return items.Where(i => seen.Add(JsonValues.ScalarKey(i))).ToList();
    }

    /// <summary>Splits <paramref name="merged"/> into items present in <paramref name="by"/> (by merge key for maps) and the rest.</summary>
    private static (List<JsonNode?> Present, List<JsonNode?> Absent) Partition(List<JsonNode?> merged, List<JsonNode?> by, string mergeKey, string kind)
    {
        var present = new List<JsonNode?>();
        var absent = new List<JsonNode?>();
        foreach (var item in merged)
        {
            if (kind == MapKind)
            {
                if (item is not JsonObject map)
                {
                    throw BadArgType(MapKind, item);
                }

                if (!map.ContainsKey(mergeKey))
                {
                    throw NoMergeKey(map, mergeKey);
                }

                EnsureMaps(by);
            }

            (IndexOf(by, item, mergeKey, kind) >= 0 ? present : absent).Add(item);
        }

        return (present, absent);
    }

    /// <summary>Index of the item with the same merge key value (maps) or the same value (scalars), or -1.</summary>
    private static int IndexOf(List<JsonNode?> list, JsonNode? item, string mergeKey, string kind)
    {
        var key = JsonValues.ScalarKey(kind == MapKind ? (item as JsonObject)?[mergeKey] : item);
        for (var i = 0; i < list.Count; i++)
        {
            var candidate = kind == MapKind ? (list[i] as JsonObject)?[mergeKey] : list[i];
            if (JsonValues.ScalarKey(candidate) == key)
            {
                return i;
            }
        }

        return -1;
    }

    private static List<JsonNode?> Items(JsonArray array) => array.Select(n => n?.DeepClone()).ToList();

    private static JsonArray ToArray(IEnumerable<JsonNode?> items)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add(item is null ? null : item.Parent is null ? item : item.DeepClone());
        }

        return array;
    }
}
