using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Porthole.KubeSim.Serialization;

/// <summary>YAML output of <see cref="Yaml"/>, in the shape kubectl -o yaml prints.</summary>
public static partial class Yaml
{
    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Base60Float();

    /// <summary>
    /// The node as block-style YAML: 2-space indentation, list dashes level with their key, keys
    /// sorted as go-yaml sorts them, strings quoted only when plain text would change their type or
    /// meaning, multi-line strings as literal blocks.
    /// </summary>
    public static string FromJson(JsonNode? node)
    {
        var sb = new StringBuilder();
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                WriteMap(sb, obj, 0);
                break;
            case JsonArray { Count: > 0 } array:
                WriteSeq(sb, array, 0);
                break;
            default:
                WriteInline(sb, node, 0);
                sb.Append('\n');
                break;
        }

        return sb.ToString();
    }

    private static void WriteMap(StringBuilder sb, JsonObject obj, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var (key, value) in obj.OrderBy(p => p.Key, GoKeyComparer.Instance))
        {
            if (!(first && firstInline))
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append(Scalar(key, isKey: true)).Append(':');
            switch (value)
            {
                case JsonObject { Count: > 0 } child:
                    sb.Append('\n');
                    WriteMap(sb, child, indent + 2);
                    break;
                case JsonArray { Count: > 0 } list:
                    sb.Append('\n');
                    WriteSeq(sb, list, indent);
                    break;
                default:
                    sb.Append(' ');
                    WriteInline(sb, value, indent + 2);
                    sb.Append('\n');
                    break;
            }
        }
    }

    private static void WriteSeq(StringBuilder sb, JsonArray array, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var item in array)
        {
            if (!(first && firstInline))
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } child:
                    WriteMap(sb, child, indent + 2, firstInline: true);
                    break;
                case JsonArray { Count: > 0 } list:
                    WriteSeq(sb, list, indent + 2, firstInline: true);
                    break;
                default:
                    WriteInline(sb, item, indent + 2);
                    sb.Append('\n');
                    break;
            }
        }
    }

    /// <summary>A scalar, empty collection, or literal block header plus lines at <paramref name="indent"/>.</summary>
    private static void WriteInline(StringBuilder sb, JsonNode? node, int indent)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject:
                sb.Append("{}");
                break;
            case JsonArray:
                sb.Append("[]");
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                if (IsLiteralCandidate(s))
                {
                    WriteLiteral(sb, s, indent);
                }
                else
                {
                    sb.Append(Scalar(s, isKey: false));
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                sb.Append(FormatNumber(v.ToJsonString()));
                break;
            default:
                sb.Append(node.ToJsonString());
                break;
        }
    }

    private static bool IsLiteralCandidate(string s) =>
        s.Contains('\n', StringComparison.Ordinal) && !ResolvesToNonString(s) && !Base60Float().IsMatch(s)
        && !s.Any(c => IsSpecial(c) && c != '\n') && !s.Contains(" \n", StringComparison.Ordinal) && !s.EndsWith(' ');

    private static void WriteLiteral(StringBuilder sb, string s, int indent)
    {
        sb.Append('|');
        if (s[0] == ' ')
        {
            sb.Append('2');
        }

        var trailing = s.Length - s.TrimEnd('\n').Length;
        sb.Append(trailing switch { 0 => "-", 1 => "", _ => "+" });
        var body = trailing == 0 ? s : s[..^1];
        foreach (var line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0)
            {
                sb.Append(' ', indent).Append(line);
            }
        }
    }

    /// <summary>A single-line string as plain, single-quoted or double-quoted text, as libyaml chooses.</summary>
    private static string Scalar(string s, bool isKey)
    {
        if (s.Any(IsSpecial) || (isKey && s.Contains('\n', StringComparison.Ordinal)))
        {
            return DoubleQuoted(s);
        }

        if (ResolvesToNonString(s) || Base60Float().IsMatch(s))
        {
            return DoubleQuoted(s);
        }

        return PlainAllowed(s) ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static bool PlainAllowed(string s)
    {
        if (s.Length == 0 || s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
        {
            return false;
        }

        if (s[0] == ' ' || s[^1] == ' ' || "#,[]{}&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal))
        {
            return false;
        }

        if (s[0] is '-' or '?' or ':' && (s.Length == 1 || s[1] == ' '))
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == ':' && (i + 1 == s.Length || s[i + 1] == ' '))
            {
                return false;
            }

            if (s[i] == '#' && i > 0 && s[i - 1] == ' ')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Characters libyaml will not print as is: controls (tab and line breaks included), BOM, surrogates.</summary>
    private static bool IsSpecial(char c) =>
        c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0 && c != 0x85) || c == '\uFEFF' || c is '\uFFFE' or '\uFFFF';

    private static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\0' => "\\0",
                '\a' => "\\a",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\v' => "\\v",
                '\f' => "\\f",
                '\r' => "\\r",
                '\x1B' => "\\e",
                '\x85' => "\\N",
                _ when IsSpecial(c) => c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Integers as written; other numbers as Go's strconv.FormatFloat(f, 'g', -1, 64).</summary>
    private static string FormatNumber(string raw)
    {
        if (raw.All(c => char.IsAsciiDigit(c) || c == '-'))
        {
            return raw;
        }

        var d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e >= 0 ? shortest[..e] : shortest;
        var exp10 = e >= 0 ? int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var pointAt = (dot >= 0 ? dot : mantissa.Length) + exp10;
        var lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        pointAt -= lead;
        var exponent = pointAt - 1;
        var sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6)
        {
            var frac = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{frac}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        if (pointAt <= 0)
        {
            return $"{sign}0.{new string('0', -pointAt)}{digits}";
        }

        return pointAt >= digits.Length
            ? sign + digits + new string('0', pointAt - digits.Length)
            : $"{sign}{digits[..pointAt]}.{digits[pointAt..]}";
    }

    /// <summary>go-yaml v2's key order: letters after other characters, digit runs compared as numbers.</summary>
    private sealed class GoKeyComparer : IComparer<string>
    {
        public static readonly GoKeyComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x == y)
            {
                return 0;
            }

            return Less(x!, y!) ? -1 : Less(y!, x!) ? 1 : string.CompareOrdinal(x, y);
        }

        private static bool Less(string a, string b)
        {
            for (var i = 0; i < a.Length && i < b.Length; i++)
            {
                if (a[i] == b[i])
                {
                    continue;
                }

                var al = char.IsLetter(a[i]);
                var bl = char.IsLetter(b[i]);
                if (al && bl)
                {
                    return a[i] < b[i];
                }

                if (al || bl)
                {
                    return bl;
                }

                long an = 0, bn = 0;
                if (a[i] == '0' || b[i] == '0')
                {
                    for (var j = i - 1; j >= 0 && char.IsDigit(a[j]); j--)
                    {
                        if (a[j] != '0')
                        {
                            an = 1;
                            bn = 1;
                            break;
                        }
                    }
                }

                int ai, bi;
                for (ai = i; ai < a.Length && char.IsAsciiDigit(a[ai]); ai++)
                {
                    an = (an * 10) + (a[ai] - '0');
                }

                for (bi = i; bi < b.Length && char.IsAsciiDigit(b[bi]); bi++)
                {
                    bn = (bn * 10) + (b[bi] - '0');
                }

                if (an != bn)
                {
                    return an < bn;
                }

                if (ai != bi)
                {
                    return ai < bi;
                }

                return a[i] < b[i];
            }

            return a.Length < b.Length;
        }
    }
}
