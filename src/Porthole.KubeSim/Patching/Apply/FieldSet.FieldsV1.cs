using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>The FieldsV1 JSON form of a <see cref="FieldSet"/>, as metadata.managedFields carries it.</summary>
public sealed partial class FieldSet
{
    private const string Self = ".";

    /// <summary>
    /// Encodes as the real server does: members and children merged in sort order, a member
    /// without children as <c>{}</c>, one with children with a leading <c>".": {}</c>.
    /// </summary>
    public JsonObject ToFieldsV1() => Emit(selfMember: false);

    /// <summary>The FieldsV1 JSON text byte for byte as the real server writes it.</summary>
    public string ToFieldsV1Json() => GoJson.Write(ToFieldsV1(), sortKeys: false);

    private JsonObject Emit(bool selfMember)
    {
        var obj = new JsonObject();
        if (selfMember)
        {
            obj[Self] = new JsonObject();
        }

        var elements = new SortedSet<PathElement>(members);
        elements.UnionWith(children.Keys);
        foreach (var e in elements)
        {
            var isMember = members.Contains(e);
            obj[e.Token] = children.TryGetValue(e, out var child) && !child.IsEmpty
                ? child.Emit(isMember)
                : new JsonObject();
        }

        return obj;
    }

    /// <summary>Decodes FieldsV1 JSON; throws <see cref="FormatException"/> when it is malformed.</summary>
    public static FieldSet FromFieldsV1(JsonObject fields)
    {
        var set = new FieldSet();
        foreach (var (token, value) in fields)
        {
            if (token == Self)
            {
                continue;
            }

            var e = PathElement.Parse(token);
            if (value is not JsonObject inner)
            {
                throw new FormatException($"expected an object for \"{token}\"");
            }

            if (inner.Count == 0 || inner.ContainsKey(Self))
            {
                set.members.Add(e);
            }

            var child = FromFieldsV1(inner);
            if (!child.IsEmpty)
            {
                set.children[e] = child;
            }
        }

        return set;
    }
}
