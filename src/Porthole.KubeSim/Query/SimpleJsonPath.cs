using System.Globalization;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Query;

/// <summary>
/// The JSONPath subset CRD printer columns and selectable fields use: ".a.b", "['a.b']",
/// "[0]", "[-1]", "[*]" and filters "[?(@.type=="Ready")]" (== and !=). Missing keys yield no result.
/// </summary>
internal sealed class SimpleJsonPath
{
    private readonly List<Func<JsonNode, IEnumerable<JsonNode>>> _steps;

    private SimpleJsonPath(List<Func<JsonNode, IEnumerable<JsonNode>>> steps) => _steps = steps;

    /// <summary>Parses a path; returns null when it is outside the supported subset.</summary>
    public static SimpleJsonPath? TryParse(string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }

        if (p.StartsWith('$'))
        {
            p = p[1..];
        }

        var steps = new List<Func<JsonNode, IEnumerable<JsonNode>>>();
        var i = 0;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var start = ++i;
                while (i < p.Length && p[i] is not ('.' or '['))
                {
                    i++;
                }

                var key = p[start..i];
                if (key.Length == 0)
                {
                    return null;
                }

                steps.Add(Child(key));
            }
            else if (p[i] == '[')
            {
                var end = FindClose(p, i);
                if (end < 0)
                {
                    return null;
                }

                var inner = p[(i + 1)..end].Trim();
                var step = Bracket(inner);
                if (step is null)
                {
                    return null;
                }

                steps.Add(step);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }

        return new SimpleJsonPath(steps);
    }

    /// <summary>All values the path selects, in document order.</summary>
    public List<JsonNode> Evaluate(JsonNode root)
    {
        IEnumerable<JsonNode> current = [root];
        foreach (var step in _steps)
        {
            current = current.SelectMany(step).ToList();
        }

        return [.. current];
    }

    private static int FindClose(string p, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open; i < p.Length; i++)
        {
            var c = p[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '[':
                    depth++;
                    break;
                case ']':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    private static Func<JsonNode, IEnumerable<JsonNode>> Child(string key) =>
        node => node is JsonObject o && o[key] is { } v ? [v] : [];

    private static Func<JsonNode, IEnumerable<JsonNode>>? Bracket(string inner)
    {
        if (inner == "*")
        {
            return node => node switch
            {
                JsonArray a => a.Where(n => n is not null).Select(n => n!),
                JsonObject o => o.Select(p => p.Value).Where(n => n is not null).Select(n => n!),
                _ => [],
            };
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            return Child(inner[1..^1]);
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return node =>
            {
                if (node is not JsonArray a)
                {
                    return [];
                }

                var at = index < 0 ? a.Count + index : index;
                return at >= 0 && at < a.Count && a[at] is { } v ? [v] : [];
            };
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            return Filter(inner[2..^1].Trim());
        }

        return null;
    }

    private static Func<JsonNode, IEnumerable<JsonNode>>? Filter(string expression)
    {
        var negate = false;
        var at = expression.IndexOf("==", StringComparison.Ordinal);
        if (at < 0)
        {
            at = expression.IndexOf("!=", StringComparison.Ordinal);
            negate = true;
        }

        if (at < 0)
        {
            return null;
        }

        var left = expression[..at].Trim();
        var right = expression[(at + 2)..].Trim();
        if (!left.StartsWith('@'))
        {
            return null;
        }

        var path = TryParse(left[1..]);
        if (path is null)
        {
            return null;
        }

        var literal = right.Length >= 2 && right[0] is '\'' or '"' && right[^1] == right[0] ? right[1..^1] : right;
        return node =>
        {
            IEnumerable<JsonNode> items = node switch
            {
                JsonArray a => a.Where(n => n is not null).Select(n => n!),
                _ => [node],
            };
            return items.Where(item =>
            {
                var values = path.Evaluate(item);
                var equal = values.Count > 0 && Text(values[0]) == literal;
                return negate ? values.Count > 0 && !equal : equal;
            }).ToList();
        };
    }

    private static string Text(JsonNode node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
}
