using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>The fields an object sets, and the fields that differ between two objects.</summary>
internal static class ObjectFields
{
    /// <summary>
    /// The field set of an object as structured-merge-diff's ToFieldSet computes it: every
    /// scalar, every atomic list or object, and every list item; empty objects and non-atomic
    /// lists own nothing by themselves.
    /// Throws <see cref="FieldException"/> for a list item without its keys.
    /// </summary>
    public static FieldSet ToFieldSet(ApplySchema schema, JsonObject obj)
    {
        var set = new FieldSet();
        VisitObject(schema, obj, [], [], set);
        return set;
    }

    private static void VisitObject(ApplySchema schema, JsonObject obj, List<PathElement> path, List<string> names, FieldSet set)
    {
        foreach (var (key, value) in obj)
        {
            Visit(schema, value, [.. path, PathElement.Field(key)], [.. names, key], set);
        }
    }

    private static void Visit(ApplySchema schema, JsonNode? node, List<PathElement> path, List<string> names, FieldSet set)
    {
        switch (node)
        {
            case JsonObject when schema.IsAtomicObject(names):
                set.Insert(path);
                break;
            case JsonObject obj:
                VisitObject(schema, obj, path, names, set);
                break;
            case JsonArray arr:
                var strategy = schema.ListAt(names);
                if (strategy.Kind == ListKind.Atomic)
                {
                    set.Insert(path);
                    break;
                }

                for (var i = 0; i < arr.Count; i++)
                {
                    List<PathElement> p = [.. path, Element(strategy, arr[i], path, i)];
                    set.Insert(p);
                    if (arr[i] is JsonObject item && !schema.IsAtomicObject(names))
                    {
                        VisitObject(schema, item, p, names, set);
                    }
                }

                break;
            case JsonValue or null:
                set.Insert(path);
                break;
        }
    }

    /// <summary>The list item's path element, or a <see cref="FieldException"/> naming where it failed.</summary>
    public static PathElement Element(ListStrategy strategy, JsonNode? item, IReadOnlyList<PathElement> listPath, int index)
    {
        try
        {
            return ApplySchema.ItemElement(strategy, item);
        }
        catch (FormatException e)
        {
            throw new FieldException($"{new FieldPath(listPath)}: element {index}: {e.Message}");
        }
    }

    /// <summary>Added, modified (leaves whose value changed) and removed paths from <paramref name="lhs"/> to <paramref name="rhs"/>.</summary>
    public static Comparison Compare(ApplySchema schema, JsonObject lhs, JsonObject rhs)
    {
        var c = new Comparison();
        CompareNode(schema, c, new Side(lhs, true), new Side(rhs, true), [], [], root: true);
        return c;
    }

    private readonly record struct Side(JsonNode? Node, bool Present)
    {
        // A null value descends like an empty object or list, but counts as present.
        public bool IsObjectOrAbsent => Node is null or JsonObject;

        public bool IsArrayOrAbsent => Node is null or JsonArray;

        public bool IsEmptyList => Node is null or JsonArray { Count: 0 };

        public bool IsEmptyObject => Node is null or JsonObject { Count: 0 };

        public Side Get(string key) =>
            Node is JsonObject o && o.TryGetPropertyValue(key, out var v) ? new Side(v, true) : default;
    }

    private static void CompareNode(ApplySchema schema, Comparison c, Side l, Side r, List<PathElement> path, List<string> names, bool root = false)
    {
        // Both sides empty or null: a leaf, so {} and null still differ.
        var emptyMaps = l.IsEmptyObject && r.IsEmptyObject && (l.Node is not null || r.Node is not null);
        if (l.IsObjectOrAbsent && r.IsObjectOrAbsent && !emptyMaps && (root || !schema.IsAtomicObject(names)))
        {
            var keys = new List<string>();
            foreach (var side in new[] { l, r })
            {
                if (side.Node is JsonObject o)
                {
                    keys.AddRange(o.Select(p => p.Key).Where(k => !keys.Contains(k)));
                }
            }

            foreach (var key in keys)
            {
                CompareNode(schema, c, l.Get(key), r.Get(key), [.. path, PathElement.Field(key)], [.. names, key]);
            }

            if (!root)
            {
                MarkPresence(c, l, r, path);
            }

            return;
        }

        if (l.IsArrayOrAbsent && r.IsArrayOrAbsent)
        {
            var strategy = schema.ListAt(names);
            if (strategy.Kind != ListKind.Atomic && !(l.IsEmptyList && r.IsEmptyList))
            {
                CompareItems(schema, c, strategy, l, r, path, names);
                MarkPresence(c, l, r, path);
                return;
            }
        }

        if (!l.Present || !r.Present)
        {
            MarkPresence(c, l, r, path);
        }
        else if (!JsonNode.DeepEquals(l.Node, r.Node))
        {
            c.Modified.Insert(path);
        }
    }

    private static void MarkPresence(Comparison c, Side l, Side r, List<PathElement> path)
    {
        if (!l.Present)
        {
            c.Added.Insert(path);
        }
        else if (!r.Present)
        {
            c.Removed.Insert(path);
        }
    }

    private static void CompareItems(ApplySchema schema, Comparison c, ListStrategy strategy, Side l, Side r, List<PathElement> path, List<string> names)
    {
        var left = Index(strategy, l.Node as JsonArray, path);
        var right = Index(strategy, r.Node as JsonArray, path);
        var all = left.Keys.Concat(right.Keys.Where(k => !left.ContainsKey(k))).ToList();
        foreach (var pe in all)
        {
            var li = left.TryGetValue(pe, out var lv) ? new Side(lv, true) : default;
            var ri = right.TryGetValue(pe, out var rv) ? new Side(rv, true) : default;
            List<PathElement> p = [.. path, pe];
            if (strategy.Kind == ListKind.Map)
            {
                CompareNode(schema, c, li, ri, p, names);
            }
            else
            {
                MarkPresence(c, li, ri, p);
            }
        }
    }

    /// <summary>List items by path element, first occurrence kept, in list order.</summary>
    public static Dictionary<PathElement, JsonNode?> Index(ListStrategy strategy, JsonArray? list, IReadOnlyList<PathElement> path)
    {
        var result = new Dictionary<PathElement, JsonNode?>();
        if (list is null)
        {
            return result;
        }

        for (var i = 0; i < list.Count; i++)
        {
            result.TryAdd(Element(strategy, list[i], path, i), list[i]);
        }

        return result;
    }
}

/// <summary>The paths that differ between two objects, split by how.</summary>
internal sealed class Comparison
{
    public FieldSet Added { get; } = new();

    public FieldSet Modified { get; } = new();

    public FieldSet Removed { get; } = new();

    public FieldSet Changed => Added.Union(Modified);
}

/// <summary>An object that cannot be mapped to field paths (a list item without its keys).</summary>
internal sealed class FieldException(string message) : Exception(message);
