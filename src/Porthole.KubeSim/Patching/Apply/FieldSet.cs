namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// A set of field paths, shaped like structured-merge-diff's fieldpath.Set: at each level the
/// elements that are themselves members, and the child sets below elements. A path can be a
/// member and have children at once (FieldsV1 writes that as the <c>"."</c> marker).
/// </summary>
public sealed partial class FieldSet
{
    private readonly SortedSet<PathElement> members = [];
    private readonly SortedDictionary<PathElement, FieldSet> children = [];

    public bool IsEmpty => members.Count == 0 && children.Values.All(c => c.IsEmpty);

    /// <summary>The member elements at this level, sorted.</summary>
    public IReadOnlyCollection<PathElement> Members => members;

    /// <summary>The child set below <paramref name="element"/>, or null.</summary>
    public FieldSet? Child(PathElement element) => children.GetValueOrDefault(element);

    public bool HasMember(PathElement element) => members.Contains(element);

    public void Insert(IReadOnlyList<PathElement> path)
    {
        if (path.Count == 0)
        {
            return;
        }

        var node = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (!node.children.TryGetValue(path[i], out var next))
            {
                next = new FieldSet();
                node.children[path[i]] = next;
            }

            node = next;
        }

        node.members.Add(path[^1]);
    }

    public void Insert(FieldPath path) => Insert(path.Elements);

    public bool Has(IReadOnlyList<PathElement> path)
    {
        if (path.Count == 0)
        {
            return false;
        }

        var node = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (!node.children.TryGetValue(path[i], out node))
            {
                return false;
            }
        }

        return node.members.Contains(path[^1]);
    }

    public bool Has(FieldPath path) => Has(path.Elements);

    /// <summary>Every member path: the members of a level first, then the children, each sorted.</summary>
    public IEnumerable<FieldPath> Paths() => Iterate([]).Select(p => new FieldPath(p));

    private IEnumerable<PathElement[]> Iterate(PathElement[] prefix)
    {
        foreach (var m in members)
        {
            yield return [.. prefix, m];
        }

        foreach (var (e, child) in children)
        {
            foreach (var p in child.Iterate([.. prefix, e]))
            {
                yield return p;
            }
        }
    }

    public FieldSet Clone() => Union(new FieldSet());

    public FieldSet Union(FieldSet other)
    {
        var result = new FieldSet();
        result.members.UnionWith(members);
        result.members.UnionWith(other.members);
        foreach (var (e, child) in children)
        {
            result.children[e] = other.children.TryGetValue(e, out var o) ? child.Union(o) : child.Union(new FieldSet());
        }

        foreach (var (e, child) in other.children)
        {
            if (!children.ContainsKey(e))
            {
                result.children[e] = child.Union(new FieldSet());
            }
        }

        return result.Tidy();
    }

    public FieldSet Intersection(FieldSet other)
    {
        var result = new FieldSet();
        result.members.UnionWith(members.Where(other.members.Contains));
        foreach (var (e, child) in children)
        {
            if (other.children.TryGetValue(e, out var o))
            {
                result.children[e] = child.Intersection(o);
            }
        }

        return result.Tidy();
    }

    /// <summary>Paths of this set that are not paths of <paramref name="other"/> (children are kept).</summary>
    public FieldSet Difference(FieldSet other)
    {
        var result = new FieldSet();
        result.members.UnionWith(members.Where(m => !other.members.Contains(m)));
        foreach (var (e, child) in children)
        {
            result.children[e] = other.children.TryGetValue(e, out var o) ? child.Difference(o) : child.Clone();
        }

        return result.Tidy();
    }

    /// <summary>Like <see cref="Difference"/>, and also drops everything below a member of <paramref name="other"/>.</summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        var result = new FieldSet();
        result.members.UnionWith(members.Where(m => !other.members.Contains(m)));
        foreach (var (e, child) in children)
        {
            if (other.members.Contains(e))
            {
                continue;
            }

            result.children[e] = other.children.TryGetValue(e, out var o) ? child.RecursiveDifference(o) : child.Clone();
        }

        return result.Tidy();
    }

    /// <summary>
    /// Makes every object field that has children a member too, as structured-merge-diff does
    /// for the named fields of structs before pruning.
    /// </summary>
    public FieldSet EnsureNamedFieldsAreMembers()
    {
        var result = new FieldSet();
        result.members.UnionWith(members);
        foreach (var (e, child) in children)
        {
            var ensured = child.EnsureNamedFieldsAreMembers();
            if (!ensured.IsEmpty)
            {
                result.children[e] = ensured;
                if (e.Kind == PathElementKind.Field)
                {
                    result.members.Add(e);
                }
            }
        }

        return result;
    }

    private FieldSet Tidy()
    {
        foreach (var e in children.Where(c => c.Value.IsEmpty).Select(c => c.Key).ToList())
        {
            children.Remove(e);
        }

        return this;
    }
}
