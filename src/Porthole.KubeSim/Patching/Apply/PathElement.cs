using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>What a <see cref="PathElement"/> selects, in structured-merge-diff's sort order.</summary>
public enum PathElementKind
{
    /// <summary>A field of an object: <c>f:name</c>.</summary>
    Field,

    /// <summary>An item of a list map, by its key fields: <c>k:{"name":"app"}</c>.</summary>
    Key,

    /// <summary>An item of a set list, by its value: <c>v:"foo"</c>.</summary>
    Value,

    /// <summary>A list position: <c>i:0</c>.</summary>
    Index,
}

/// <summary>
/// One step of a field path as structured-merge-diff models it. <see cref="Text"/> holds the
/// field name, the canonical JSON of the key object or value, or the index, so equal elements
/// have equal text.
/// </summary>
public sealed class PathElement : IEquatable<PathElement>, IComparable<PathElement>
{
    private JsonNode? parsed;

    private PathElement(PathElementKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public PathElementKind Kind { get; }

    public string Text { get; }

    public static PathElement Field(string name) => new(PathElementKind.Field, name);

    public static PathElement Index(int index) => new(PathElementKind.Index, index.ToString(CultureInfo.InvariantCulture));

    /// <summary>A set-list item; the value is written as canonical JSON.</summary>
    public static PathElement Value(JsonNode? value) => new(PathElementKind.Value, GoJson.Write(value)) { parsed = value?.DeepClone() };

    /// <summary>A list-map item from its key fields, sorted by field name as the real server does.</summary>
    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields)
    {
        var sorted = new JsonObject();
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sorted[name] = value?.DeepClone();
        }

        return new PathElement(PathElementKind.Key, GoJson.Write(sorted)) { parsed = sorted };
    }

    /// <summary>Parses the FieldsV1 form: <c>f:x</c>, <c>k:{...}</c>, <c>v:...</c> or <c>i:3</c>.</summary>
    public static PathElement Parse(string token)
    {
        if (token.Length < 2 || token[1] != ':')
        {
            throw new FormatException($"invalid path element \"{token}\"");
        }

        var body = token[2..];
        return token[0] switch
        {
            'f' => Field(body),
            'k' => JsonNode.Parse(body) is JsonObject key ? Key(key.Select(p => KeyValuePair.Create(p.Key, p.Value))) : throw new FormatException($"invalid key \"{body}\""),
            'v' => Value(JsonNode.Parse(body)),
            'i' => Index(int.Parse(body, NumberStyles.Integer, CultureInfo.InvariantCulture)),
            _ => throw new FormatException($"invalid path element \"{token}\""),
        };
    }

    /// <summary>The FieldsV1 form used as a JSON member name.</summary>
    public string Token => Kind switch
    {
        PathElementKind.Field => "f:" + Text,
        PathElementKind.Key => "k:" + Text,
        PathElementKind.Value => "v:" + Text,
        _ => "i:" + Text,
    };

    /// <summary>The form used in conflict messages: <c>.name</c>, <c>[name="app"]</c>, <c>[="foo"]</c>, <c>[0]</c>.</summary>
    public override string ToString()
    {
        switch (Kind)
        {
            case PathElementKind.Field:
                return "." + Text;
            case PathElementKind.Key:
                var parts = Parsed!.AsObject().Select(p => $"{p.Key}={GoJson.Write(p.Value)}");
                return "[" + string.Join(",", parts) + "]";
            case PathElementKind.Value:
                return "[=" + Text + "]";
            default:
                return "[" + Text + "]";
        }
    }

    private JsonNode? Parsed => parsed ??= Kind is PathElementKind.Key or PathElementKind.Value ? JsonNode.Parse(Text) : null;

    public int CompareTo(PathElement? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }

        return Kind switch
        {
            PathElementKind.Field => string.CompareOrdinal(Text, other.Text),
            PathElementKind.Key => CompareKeys(Parsed!.AsObject(), other.Parsed!.AsObject()),
            PathElementKind.Value => GoJson.Compare(Parsed, other.Parsed),
            _ => int.Parse(Text, CultureInfo.InvariantCulture).CompareTo(int.Parse(other.Text, CultureInfo.InvariantCulture)),
        };
    }

    private static int CompareKeys(JsonObject a, JsonObject b)
    {
        var (la, lb) = (a.ToList(), b.ToList());
        for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
        {
            var c = string.CompareOrdinal(la[i].Key, lb[i].Key);
            if (c == 0)
            {
                c = GoJson.Compare(la[i].Value, lb[i].Value);
            }

            if (c != 0)
            {
                return c;
            }
        }

        return la.Count.CompareTo(lb.Count);
    }

    public bool Equals(PathElement? other) => other is not null && Kind == other.Kind && Text == other.Text;

    public override bool Equals(object? obj) => Equals(obj as PathElement);

    public override int GetHashCode() => HashCode.Combine(Kind, Text);
}

/// <summary>A field path, printed as the real server prints it in conflicts: <c>.spec.replicas</c>.</summary>
public sealed class FieldPath(IReadOnlyList<PathElement> elements)
{
    public IReadOnlyList<PathElement> Elements { get; } = elements;

    public static FieldPath Of(params string[] fields) => new(fields.Select(PathElement.Field).ToArray());

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var e in Elements)
        {
            sb.Append(e);
        }

        return sb.ToString();
    }
}
