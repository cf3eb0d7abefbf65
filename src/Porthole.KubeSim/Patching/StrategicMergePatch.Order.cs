using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching;

/// <summary>
/// Element order of merged lists in <see cref="StrategicMergePatch"/>: patch items keep the patch's
/// (or $setElementOrder's) relative order, server-only items keep the live order, and the two are
/// interleaved as the real implementation does, so a new container sent alone lands first.
/// </summary>
public static partial class StrategicMergePatch
{
    /// <summary>Processes every "$setElementOrder/field" directive of <paramref name="patch"/> against <paramref name="original"/>.</summary>
    private static void MergeSetElementOrder(JsonObject original, JsonObject patch, Context ctx)
    {
        foreach (var (directiveKey, orderNode) in patch.Where(p => p.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            patch.Remove(directiveKey);
            if (orderNode is not JsonArray orderArray)
            {
                throw BadArgType("slice", orderNode);
            }

            var field = ExtractKey(directiveKey, SetElementOrderPrefix);
            var order = Items(orderArray);
            var foundOriginal = original.TryGetPropertyValue(field, out var originalNode);
            var foundPatch = patch.TryGetPropertyValue(field, out var patchNode);
            if (foundOriginal && originalNode is not JsonArray)
            {
                throw BadArgType("slice", originalNode);
            }

            if (foundPatch && patchNode is not JsonArray)
            {
                throw BadArgType("slice", patchNode);
            }

            var originalItems = foundOriginal ? Items((JsonArray)originalNode!) : [];
            var patchItems = foundPatch ? Items((JsonArray)patchNode!) : [];
            var mergeKey = ctx.MergeStrategy(field);
            ValidateAgainstOrder(patchItems, order, mergeKey ?? "");

            List<JsonNode?> merged;
            if (foundOriginal && foundPatch)
            {
                merged = Items(mergeKey is null
                    ? (JsonArray)patchNode!
                    : MergeList((JsonArray)originalNode!, (JsonArray)patchNode!, mergeKey, false, ctx.Child(field)));
            }
            else if (foundOriginal)
            {
                merged = originalItems;
            }
            else if (foundPatch)
            {
                merged = patchItems;
            }
            else
            {
                continue;
            }

            var kind = ElementKind(originalItems, patchItems);
            var key = mergeKey ?? "";
            var (inOrder, serverOnly) = Partition(merged, order, key, kind);
            original[field] = ToArray(NormalizeElementOrder(inOrder, serverOnly, order, originalItems, key, kind));
            patch.Remove(field);
        }
    }

    /// <summary>The patch list's items (deletions aside) must appear in the $setElementOrder list in the same relative order.</summary>
    private static void ValidateAgainstOrder(List<JsonNode?> patchList, List<JsonNode?> order, string mergeKey)
    {
        if (order.Count == 0 || patchList.Count == 0)
        {
            return;
        }

        var nonDelete = mergeKey.Length > 0 ? SplitDeletions(patchList).Keep : patchList;
        int p = 0, o = 0;
        while (p < nonDelete.Count && o < order.Count)
        {
            if (nonDelete[p] is JsonObject m && m.ContainsKey(DirectiveMarker))
            {
                p++;
                continue;
            }

            if (MergeKeyValueEqual(nonDelete[p], order[o], mergeKey))
            {
                p++;
            }

            o++;
        }

        if (p < nonDelete.Count && o >= order.Count)
        {
            throw PatchErrors.Internal(
                $"The order in patch list:\n{JsonValues.GoFormat(ToArray(patchList))}\n doesn't match {SetElementOrderPrefix} list:\n{JsonValues.GoFormat(ToArray(order))}\n");
        }
    }

    private static bool MergeKeyValueEqual(JsonNode? left, JsonNode? right, string mergeKey)
    {
        if (mergeKey.Length == 0)
        {
            return JsonValues.ScalarEquals(left, right);
        }

        var l = left as JsonObject ?? throw BadArgType(MapKind, left);
        var r = right as JsonObject ?? throw BadArgType(MapKind, right);
        if (!l.TryGetPropertyValue(mergeKey, out var lv))
        {
            throw NoMergeKey(l, mergeKey);
        }

        if (!r.TryGetPropertyValue(mergeKey, out var rv))
        {
            throw NoMergeKey(r, mergeKey);
        }

        return JsonValues.ScalarEquals(lv, rv);
    }

    private static (List<JsonNode?> Keep, List<JsonNode?> Delete) SplitDeletions(List<JsonNode?> items)
    {
        var keep = new List<JsonNode?>();
        var delete = new List<JsonNode?>();
        foreach (var item in items)
        {
            var map = item as JsonObject ?? throw BadArgType(MapKind, item);
            (DirectiveString(map[DirectiveMarker]) == "delete" ? delete : keep).Add(item);
        }

        return (keep, delete);
    }

    /// <summary>
    /// Sorts patch items by <paramref name="patchOrder"/> and server-only items by
    /// <paramref name="serverOrder"/>, then interleaves them: a server-only item goes first only
    /// when both it and the next patch item are in the live list and it came earlier there.
    /// </summary>
    private static List<JsonNode?> NormalizeElementOrder(List<JsonNode?> patch, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string mergeKey, string kind)
    {
        var right = SortByOrder(patch, patchOrder, mergeKey, kind);
        var left = SortByOrder(serverOnly, serverOrder, mergeKey, kind);
        var all = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (i >= left.Count)
            {
                all.Add(right[j++]);
            }
            else if (j >= right.Count)
            {
                all.Add(left[i++]);
            }
            else
            {
                var li = IndexOf(serverOrder, left[i], mergeKey, kind);
                var ri = IndexOf(serverOrder, right[j], mergeKey, kind);
                all.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
            }
        }

        return all;
    }

    private static List<JsonNode?> SortByOrder(List<JsonNode?> items, List<JsonNode?> order, string mergeKey, string kind)
    {
        var toDelete = new List<JsonNode?>();
        if (kind == MapKind)
        {
            foreach (var item in items.Concat(order))
            {
                var map = item as JsonObject ?? throw BadArgType(MapKind, item);
                if (!map.ContainsKey(mergeKey))
                {
                    throw NoMergeKey(map, mergeKey);
                }
            }

            (items, toDelete) = SplitDeletions(items);
        }

        var sorted = items
            .Select((item, position) => (item, position, index: IndexOf(order, item, mergeKey, kind)))
            .OrderBy(t => t.index < 0 ? int.MaxValue : t.index)
            .ThenBy(t => t.position)
            .Select(t => t.item)
            .ToList();
        sorted.AddRange(toDelete);
        return sorted;
    }
}
