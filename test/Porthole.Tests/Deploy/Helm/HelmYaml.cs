using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Porthole.Tests.Deploy.Helm;

/// <summary>
/// YAML as Helm reads and writes it: values files become maps, lists and scalars resolved as
/// YAML 1.1 (go-yaml: yes/no/on/off are booleans) with every number a float64 (Helm's values
/// pass through JSON); <see cref="ToYaml"/> writes go-yaml's block style (sorted keys, list
/// items level with their key, quotes only where a plain scalar would be misread).
/// </summary>
internal static partial class HelmYaml
{
    private static readonly HashSet<string> Trues = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"];
    private static readonly HashSet<string> Falses = ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"];
    private static readonly HashSet<string> Nulls = ["", "~", "null", "Null", "NULL"];

    /// <summary>Reads a values document; an empty one is an empty map.</summary>
    public static Dictionary<string, object?> ReadMap(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new TemplateException($"{source}: {e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        return Convert(stream.Documents[0].RootNode) switch
        {
            Dictionary<string, object?> map => map,
            null => new Dictionary<string, object?>(StringComparer.Ordinal),
            var other => throw new TemplateException($"{source}: the document is a {GoValues.KindOf(other)}, not a map"),
        };
    }

    public static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? "", p => Convert(p.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => Resolve(scalar.Value ?? ""),
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => throw new TemplateException($"unsupported YAML node {node.NodeType}"),
    };

    /// <summary>A plain scalar as go-yaml resolves it (numbers become float64, as after Helm's JSON round trip).</summary>
    public static object? Resolve(string plain)
    {
        if (Nulls.Contains(plain))
        {
            return null;
        }

        if (Trues.Contains(plain))
        {
            return true;
        }

        if (Falses.Contains(plain))
        {
            return false;
        }

        if (NumberLike().IsMatch(plain))
        {
            var text = plain.Replace("_", "", StringComparison.Ordinal);
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            {
                return (double)hex;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
        }

        return plain is ".inf" or ".Inf" or "+.inf" ? double.PositiveInfinity : plain is "-.inf" or "-.Inf" ? double.NegativeInfinity : plain;
    }

    /// <summary>sprig/Helm <c>toYaml</c>: the value as YAML without the final newline.</summary>
    public static string ToYaml(object? value)
    {
        var text = new StringBuilder();
        switch (value)
        {
            case Dictionary<string, object?> { Count: > 0 } map:
                WriteMap(text, map, 0);
                break;
            case List<object?> { Count: > 0 } list:
                WriteList(text, list, 0);
                break;
            default:
                text.Append(Scalar(value, 0)).Append('\n');
                break;
        }

        return text.ToString().TrimEnd('\n');
    }

    private static void WriteMap(StringBuilder text, Dictionary<string, object?> map, int indent)
    {
        foreach (var (key, item) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(' ', indent).Append(String(key, indent)).Append(':');
            WriteValue(text, item, indent, indent + 2);
        }
    }

    private static void WriteList(StringBuilder text, List<object?> list, int indent)
    {
        foreach (var item in list)
        {
            text.Append(' ', indent).Append('-');
            switch (item)
            {
                case Dictionary<string, object?> { Count: > 0 } map:
                    // The first key goes on the dash's line, the rest align with it.
                    var nested = new StringBuilder();
                    WriteMap(nested, map, indent + 2);
                    text.Append(' ').Append(nested.ToString(indent + 2, nested.Length - indent - 2));
                    break;
                case List<object?> { Count: > 0 } inner:
                    var nestedList = new StringBuilder();
                    WriteList(nestedList, inner, indent + 2);
                    text.Append(' ').Append(nestedList.ToString(indent + 2, nestedList.Length - indent - 2));
                    break;
                default:
                    text.Append(' ').Append(Scalar(item, indent + 2)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteValue(StringBuilder text, object? value, int indent, int childIndent)
    {
        switch (value)
        {
            case Dictionary<string, object?> { Count: > 0 } map:
                text.Append('\n');
                WriteMap(text, map, childIndent);
                break;
            case List<object?> { Count: > 0 } list:
                text.Append('\n');
                WriteList(text, list, indent);
                break;
            default:
                text.Append(' ').Append(Scalar(value, childIndent)).Append('\n');
                break;
        }
    }

    private static string Scalar(object? value, int indent) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e21 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
        string s => String(s, indent),
        Dictionary<string, object?> => "{}",
        List<object?> => "[]",
        _ => throw new TemplateException($"toYaml: cannot write a {value.GetType().Name}"),
    };

    /// <summary>Plain when go-yaml would write it plain; double quotes for text that reads as another type; single quotes for indicators; literal blocks for lines.</summary>
    private static string String(string s, int indent)
    {
        if (s.Contains('\n', StringComparison.Ordinal))
        {
            var chomp = s.EndsWith('\n') ? "" : "-";
            var lines = s.TrimEnd('\n').Split('\n').Select(l => l.Length == 0 ? "" : new string(' ', indent) + l);
            return $"|{chomp}\n" + string.Join('\n', lines);
        }

        if (Resolve(s) is not string || Base60().IsMatch(s))
        {
            return GoValues.Quote(s);
        }

        return PlainAllowed(s) ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>libyaml's analysis of a block-context plain scalar.</summary>
    private static bool PlainAllowed(string s)
    {
        if (s.Length == 0 || s[0] == ' ' || s[^1] == ' ' || s.Any(c => c < 0x20 || c == 0x7f))
        {
            return false;
        }

        var followedBySpace = s.Length == 1 || s[1] == ' ';
        if ("#,[]{}&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal) || (s[0] is '-' or '?' or ':' && followedBySpace))
        {
            return false;
        }

        return !s.Contains(": ", StringComparison.Ordinal) && !s.EndsWith(':') && !s.Contains(" #", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^0x[0-9a-fA-F_]+$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Base60();
}
