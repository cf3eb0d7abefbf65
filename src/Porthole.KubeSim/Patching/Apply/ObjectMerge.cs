using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// Merging an applied configuration into a live object, and pruning the fields a manager
/// stopped applying, with structured-merge-diff's rules: the configuration wins on scalars and
/// atomic lists, objects merge field by field, list maps and sets merge by item key keeping the
/// live order around the configuration's order.
/// </summary>
internal static class ObjectMerge
{
    public static JsonObject Merge(ApplySchema schema, JsonObject live, JsonObject config) =>
        (JsonObject)MergeNode(schema, live, config, [], [])!;

    private static JsonNode? MergeNode(ApplySchema schema, JsonNode? live, JsonNode? config, List<PathElement> path, List<string> names)
    {
        if (live is JsonObject lo && config is JsonObject co && (path.Count == 0 || !schema.IsAtomicObject(names)))
        {
            var result = lo.DeepClone().AsObject();
            foreach (var (key, value) in co)
            {
                if (value is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = result.TryGetPropertyValue(key, out var existing)
                        ? MergeNode(schema, existing, value, [.. path, PathElement.Field(key)], [.. names, key])
                        : value.WithoutNulls();
                }
            }

            return result;
        }

        if (live is JsonArray la && config is JsonArray ca)
        {
            var strategy = schema.ListAt(names);
            if (strategy.Kind != ListKind.Atomic && (la.Count > 0 || ca.Count > 0))
            {
                return MergeItems(schema, strategy, la, ca, path, names);
            }
        }

        return config.WithoutNulls();
    }

    /// <summary>Order-preserving merge of keyed lists, as structured-merge-diff's merging walker does it.</summary>
    private static JsonArray MergeItems(ApplySchema schema, ListStrategy strategy, JsonArray live, JsonArray config, List<PathElement> path, List<string> names)
    {
        var lhs = ObjectFields.Index(strategy, live, path);
        var rhs = ObjectFields.Index(strategy, config, path);
        var (lKeys, rKeys) = (lhs.Keys.ToList(), rhs.Keys.ToList());
        var shared = new Queue<PathElement>(rKeys.Where(lhs.ContainsKey));
        var nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        var taken = new HashSet<PathElement>();
        var output = new JsonArray();

        JsonNode? Item(PathElement pe, JsonNode? l, JsonNode? r) =>
            strategy.Kind == ListKind.Map && l is not null
                ? MergeNode(schema, l, r, [.. path, pe], names)
                : r.WithoutNulls();

        PathElement? Advance() => shared.Count > 0 ? shared.Dequeue() : null;

        var (i, j) = (0, 0);
        while (i < lKeys.Count || j < rKeys.Count)
        {
            if (i < lKeys.Count && j < rKeys.Count)
            {
                if (lKeys[i].Equals(rKeys[j]))
                {
                    taken.Add(lKeys[i]);
                    output.Add(Item(lKeys[i], lhs[lKeys[i]], rhs[rKeys[j]]));
                    (i, j) = (i + 1, j + 1);
                    nextShared = Advance();
                    continue;
                }

                if (rhs.ContainsKey(lKeys[i]) && nextShared is not null && !nextShared.Equals(lKeys[i]))
                {
                    i++;
                    continue;
                }
            }

            if (i < lKeys.Count)
            {
                if (!rhs.ContainsKey(lKeys[i]))
                {
                    output.Add(lhs[lKeys[i]]?.DeepClone());
                    i++;
                    continue;
                }

                if (taken.Contains(lKeys[i]))
                {
                    i++;
                    continue;
                }
            }

            if (j < rKeys.Count)
            {
                var pe = rKeys[j];
                taken.Add(pe);
                output.Add(Item(pe, lhs.GetValueOrDefault(pe), rhs[pe]));
                j++;
                if (nextShared is not null && nextShared.Equals(pe))
                {
                    nextShared = Advance();
                }
            }
        }

        return output;
    }

    /// <summary>
    /// Removes from <paramref name="merged"/> every field and list item in the manager's previous
    /// set (<paramref name="last"/>) that no manager owns now (<paramref name="owned"/>), both with
    /// object fields made members; server-owned metadata is never removed.
    /// </summary>
    public static void Prune(ApplySchema schema, JsonObject merged, FieldSet last, FieldSet owned)
    {
        PruneObject(schema, merged, last.EnsureNamedFieldsAreMembers(), owned.EnsureNamedFieldsAreMembers(), schema.Stripped, [], []);
    }

    private static void PruneObject(ApplySchema schema, JsonObject obj, FieldSet last, FieldSet? owned, FieldSet? protect, List<PathElement> path, List<string> names)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            var e = PathElement.Field(key);
            if (last.HasMember(e) && owned?.HasMember(e) != true && protect?.HasMember(e) != true)
            {
                obj.Remove(key);
                continue;
            }

            if (last.Child(e) is { } lastChild)
            {
                PruneValue(schema, obj[key], lastChild, owned?.Child(e), protect?.Child(e), [.. path, e], [.. names, key]);
            }
        }
    }

    private static void PruneValue(ApplySchema schema, JsonNode? node, FieldSet last, FieldSet? owned, FieldSet? protect, List<PathElement> path, List<string> names)
    {
        if (node is JsonObject obj)
        {
            PruneObject(schema, obj, last, owned, protect, path, names);
            return;
        }

        if (node is not JsonArray arr || schema.ListAt(names) is not { Kind: not ListKind.Atomic } strategy)
        {
            return;
        }

        for (var i = arr.Count - 1; i >= 0; i--)
        {
            var pe = ObjectFields.Element(strategy, arr[i], path, i);
            if (last.HasMember(pe) && owned?.HasMember(pe) != true)
            {
                arr.RemoveAt(i);
            }
            else if (last.Child(pe) is { } lastChild && arr[i] is JsonObject item)
            {
                PruneObject(schema, item, lastChild, owned?.Child(pe), null, [.. path, pe], names);
            }
        }
    }
}
