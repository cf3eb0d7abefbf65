using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// JSON text and ordering as Go's encoding/json and structured-merge-diff produce them: map keys
/// sorted, HTML characters escaped as \u003c, and the total order of values used to sort
/// list keys (numbers, strings, booleans, lists, maps, null).
/// </summary>
internal static class GoJson
{
    /// <summary>Writes <paramref name="node"/> compactly with sorted object keys.</summary>
    public static string Write(JsonNode? node) => Write(node, sortKeys: true);

    /// <summary>Writes <paramref name="node"/> compactly, object keys sorted or in their order.</summary>
    public static string Write(JsonNode? node, bool sortKeys)
    {
        var sb = new StringBuilder();
        Write(sb, node, sortKeys);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, bool sortKeys)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in sortKeys ? obj.OrderBy(p => p.Key, StringComparer.Ordinal) : obj.AsEnumerable())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, key);
                    sb.Append(':');
                    Write(sb, value, sortKeys);
                }

                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, arr[i], sortKeys);
                }

                sb.Append(']');
                break;
            case JsonValue v:
                WriteScalar(sb, v);
                break;
        }
    }

    private static void WriteScalar(StringBuilder sb, JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, v.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                sb.Append(NumberText(v));
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static string NumberText(JsonValue v)
    {
        if (v.TryGetValue<long>(out var l))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (v.TryGetValue<int>(out var i))
        {
            return i.ToString(CultureInfo.InvariantCulture);
        }

        if (v.TryGetValue<JsonElement>(out var e) && e.TryGetInt64(out var el))
        {
            return el.ToString(CultureInfo.InvariantCulture);
        }

        if (!v.TryGetValue<double>(out var d))
        {
            return v.ToJsonString();
        }

        return d == Math.Floor(d) && Math.Abs(d) < 1e18
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A string literal escaped as Go's encoding/json does (HTML-safe).</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Go's value.Compare: floats and ints numerically, then strings, booleans, lists, maps, null.</summary>
    public static int Compare(JsonNode? a, JsonNode? b)
    {
        var (ra, rb) = (Rank(a), Rank(b));
        if (ra <= 1 && rb <= 1)
        {
            return ToDouble(a!.AsValue()).CompareTo(ToDouble(b!.AsValue()));
        }

        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }

        switch (ra)
        {
            case 2:
                return string.CompareOrdinal(a!.GetValue<string>(), b!.GetValue<string>());
            case 3:
                return a!.GetValue<bool>().CompareTo(b!.GetValue<bool>());
            case 4:
                var (la, lb) = (a!.AsArray(), b!.AsArray());
                for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
                {
                    var c = Compare(la[i], lb[i]);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return la.Count.CompareTo(lb.Count);
            case 5:
                return string.CompareOrdinal(Write(a), Write(b));
            default:
                return 0;
        }
    }

    private static double ToDouble(JsonValue v) => double.Parse(NumberText(v), CultureInfo.InvariantCulture);

    private static int Rank(JsonNode? n) => n switch
    {
        null => 6,
        JsonObject => 5,
        JsonArray => 4,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => 1,
            JsonValueKind.String => 2,
            JsonValueKind.True or JsonValueKind.False => 3,
            _ => 6,
        },
        _ => 6,
    };
}
