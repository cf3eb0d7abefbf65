using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching;

/// <summary>
/// Value comparisons and Go-style formatting for patch algorithms: Go compares decoded JSON
/// values by type and value (an int64 1 is not a float64 1.5, nor the string "1"), and prints
/// them with %v in its error messages.
/// </summary>
internal static class JsonValues
{
    /// <summary>Equality of two scalars as Go's interface == sees them (ints and floats are distinct types).</summary>
    public static bool ScalarEquals(JsonNode? a, JsonNode? b) => ScalarKey(a) == ScalarKey(b);

    /// <summary>A key that is equal for equal scalars; containers get a key of their JSON text.</summary>
    public static string ScalarKey(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "n:";
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        return "s:" + v.GetValue<string>();
                    case JsonValueKind.True:
                        return "b:true";
                    case JsonValueKind.False:
                        return "b:false";
                    case JsonValueKind.Number:
                        var raw = v.ToJsonString();
                        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                        {
                            return "i:" + l.ToString(CultureInfo.InvariantCulture);
                        }

                        return "f:" + double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
                    default:
                        return "n:";
                }

            default:
                return "j:" + node.ToJsonString();
        }
    }

    /// <summary>Deep equality where numbers compare by their JSON text, as json-patch's test does.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case JsonObject oa:
                if (b is not JsonObject ob || oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (k, v) in oa)
                {
                    if (!ob.TryGetPropertyValue(k, out var w) || !DeepEquals(v, w))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray aa:
                if (b is not JsonArray ab || aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!DeepEquals(aa[i], ab[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return b is JsonValue && a.ToJsonString() == b.ToJsonString();
        }
    }

    /// <summary>Go's reflect Kind name of a decoded JSON value, as used in mergepatch.ErrBadArgType.</summary>
    public static string GoKind(JsonNode? node) => node switch
    {
        null => "invalid",
        JsonObject => "map",
        JsonArray => "slice",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "bool",
            JsonValueKind.Number => ScalarKey(v).StartsWith("i:", StringComparison.Ordinal) ? "int64" : "float64",
            _ => "invalid",
        },
        _ => "invalid",
    };

    /// <summary>Formats a value as Go's fmt %v prints a decoded JSON value (map[a:1 b:x], [a b], &lt;nil&gt;).</summary>
    public static string GoFormat(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("<nil>");
                break;
            case JsonObject o:
                sb.Append("map[");
                var first = true;
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }

                    first = false;
                    sb.Append(k).Append(':');
                    Append(sb, v);
                }

                sb.Append(']');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }

                    Append(sb, a[i]);
                }

                sb.Append(']');
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                sb.Append(v.GetValue<string>());
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }
}
