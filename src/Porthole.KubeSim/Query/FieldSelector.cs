using System.Text;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <summary>One term of a field selector: field, "=", "==" or "!=", and the unescaped value.</summary>
public sealed record FieldRequirement(string Field, string Operator, string Value)
{
    /// <summary>The term as fields.Selector prints it, with the value re-escaped.</summary>
    public override string ToString() => $"{Field}{(Operator == "!=" ? "!=" : "=")}{FieldSelector.EscapeValue(Value)}";
}

/// <summary>
/// A field selector as list and watch requests use it: parsed like fields.ParseSelector,
/// restricted to the fields the real API server supports for the resource (with its wording
/// when a field is not), and evaluated against objects in JSON form.
/// </summary>
public sealed partial class FieldSelector
{
    private readonly Func<JsonObject, string, string> _valueOf;

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements, Func<JsonObject, string, string> valueOf)
    {
        Requirements = requirements;
        _valueOf = valueOf;
    }

    /// <summary>Selects every object.</summary>
    public static FieldSelector Everything { get; } = new([], (_, _) => "");

    /// <summary>The terms, sorted, with field labels already converted to their canonical names.</summary>
    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>
    /// Parses "a=b,c!=d" and checks each field against what <paramref name="type"/> supports.
    /// For custom resources pass the CRD version's selectableFields as field labels (e.g. "spec.color").
    /// </summary>
    /// <exception cref="ApiException">400 BadRequest with the API server's wording.</exception>
    public static FieldSelector Parse(string? selector, ResourceType type, IReadOnlyCollection<string>? selectableFields = null)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return Everything;
        }

        var parsed = new List<FieldRequirement>();
        var parts = SplitTerms(selector);
        parts.Sort(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                continue;
            }

            if (!SplitTerm(part, out var lhs, out var op, out var rhs))
            {
                throw ApiException.BadRequest($"invalid selector: '{selector}'; can't understand '{part}'");
            }

            parsed.Add(new FieldRequirement(lhs, op, UnescapeValue(rhs)));
        }

        var rules = RulesFor(type, selectableFields);
        var converted = parsed.Select(r => r with { Field = rules.Convert(r.Field) }).ToList();
        return new FieldSelector(converted, rules.ValueOf);
    }

    /// <summary>True when every term holds for the object; missing fields compare as "".</summary>
    public bool Matches(JsonObject obj)
    {
        foreach (var r in Requirements)
        {
            var equal = string.Equals(_valueOf(obj, r.Field), r.Value, StringComparison.Ordinal);
            if (equal == (r.Operator == "!="))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value a "field=value" or "field==value" term demands, if any (e.g. metadata.name).</summary>
    public string? RequiresExactMatch(string field) =>
        Requirements.FirstOrDefault(r => r.Field == field && r.Operator != "!=")?.Value;

    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    /// <summary>fields.EscapeValue: backslash-escapes '\', ',' and '='.</summary>
    public static string EscapeValue(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '=')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < selector.Length; i++)
        {
            var c = selector[i];
            if (inSlash)
            {
                inSlash = false;
            }
            else if (c == '\\')
            {
                inSlash = true;
            }
            else if (c == ',')
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }

        terms.Add(selector[start..]);
        return terms;
    }

    private static bool SplitTerm(string term, out string lhs, out string op, out string rhs)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var candidate in (string[])["!=", "==", "="])
            {
                if (string.CompareOrdinal(term, i, candidate, 0, candidate.Length) == 0)
                {
                    lhs = term[..i];
                    op = candidate;
                    rhs = term[(i + candidate.Length)..];
                    return true;
                }
            }
        }

        lhs = op = rhs = "";
        return false;
    }

    private static string UnescapeValue(string s)
    {
        if (s.IndexOfAny(['\\', ',', '=']) < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        var inSlash = false;
        foreach (var c in s)
        {
            if (inSlash)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    throw ApiException.BadRequest($"invalid field selector: invalid escape sequence: \\{c}");
                }

                sb.Append(c);
                inSlash = false;
                continue;
            }

            switch (c)
            {
                case '\\':
                    inSlash = true;
                    break;
                case ',' or '=':
                    // Go prints the rune with %v, i.e. as its code point.
                    throw ApiException.BadRequest($"invalid field selector: unescaped character in value: {(int)c}");
                default:
                    sb.Append(c);
                    break;
            }
        }

        if (inSlash)
        {
            throw ApiException.BadRequest("invalid field selector: invalid escape sequence: \\");
        }

        return sb.ToString();
    }
}
