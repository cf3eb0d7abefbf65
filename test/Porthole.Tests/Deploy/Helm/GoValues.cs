using System.Globalization;
using System.Text;

namespace Porthole.Tests.Deploy.Helm;

/// <summary>
/// Template values as Helm holds them: null, bool, long (template literals, <c>int</c>), double
/// (every number read from values.yaml: Helm's YAML goes through JSON), string, lists and maps.
/// Truth, printing and comparison follow text/template, so a chart that works here does not
/// trip on Helm's typing (<c>gt .Values.replicaCount 1</c> fails in both: float64 vs int).
/// </summary>
internal static class GoValues
{
    /// <summary>text/template's truth: false, 0, nil and empty strings, lists and maps are false.</summary>
    public static bool Truth(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        Dictionary<string, object?> map => map.Count > 0,
        _ => true,
    };

    /// <summary>How <c>{{ value }}</c> prints (fmt's %v); nil prints nothing (Helm drops "&lt;no value&gt;").</summary>
    public static string Print(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        string s => s,
        List<object?> list => "[" + string.Join(' ', list.Select(PrintNested)) + "]",
        Dictionary<string, object?> map => "map[" + string.Join(' ', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + PrintNested(p.Value))) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Go's %v of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e+06, as Helm prints big numbers.</summary>
    public static string FormatFloat(double d)
    {
        if (!double.IsFinite(d))
        {
            return double.IsNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
        }

        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        var exp = d == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(d)));
        if (exp is >= -4 and < 6)
        {
            return shortest;
        }

        // The shortest digits, as d.ddd, with Go's exponent of at least two digits.
        var digits = shortest.TrimStart('-').Split('E')[0].Replace(".", "", StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
        var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
        return $"{(d < 0 ? "-" : "")}{mantissa}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
    }

    /// <summary>sprig's <c>empty</c>: nil, false, 0, "" and empty collections.</summary>
    public static bool Empty(object? value) => !Truth(value);

    /// <summary>sprig's <c>int</c> (cast.ToInt): numbers truncate, strings parse ("" is 0), nil is 0, bools 1/0.</summary>
    public static long ToInt(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        long l => l,
        double d => (long)d,
        string s when s.Length == 0 => 0,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => (long)d,
        _ => 0,
    };

    /// <summary>sprig's strval: what <c>quote</c>, <c>contains</c> and friends see of a value.</summary>
    public static string Str(object? value) => value is string s ? s : Print(value);

    /// <summary>text/template's <c>eq</c> of two values: nil equals only nil; other differing kinds are an error.</summary>
    public static bool Equal(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return (a, b) switch
        {
            (bool x, bool y) => x == y,
            (long x, long y) => x == y,
            (double x, double y) => x == y,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (List<object?> or Dictionary<string, object?>, _) or (_, List<object?> or Dictionary<string, object?>) =>
                throw new TemplateException($"invalid type for comparison: {KindOf(a)} and {KindOf(b)}"),
            _ => throw new TemplateException($"incompatible types for comparison: {KindOf(a)} and {KindOf(b)}"),
        };
    }

    /// <summary>text/template's ordering (<c>lt</c>, <c>gt</c>...): numbers of one kind or strings, else an error.</summary>
    public static int Compare(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (null, _) or (_, null) or (bool, _) or (List<object?>, _) or (Dictionary<string, object?>, _) =>
            throw new TemplateException($"invalid type for comparison: {KindOf(a)} and {KindOf(b)}"),
        _ => throw new TemplateException($"incompatible types for comparison: {KindOf(a)} and {KindOf(b)}"),
    };

    /// <summary>Deep equality, as sprig's <c>has</c> compares (reflect.DeepEqual).</summary>
    public static bool DeepEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => DeepEqual(p.First, p.Second)),
        (Dictionary<string, object?> x, Dictionary<string, object?> y) => x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && DeepEqual(p.Value, v)),
        (null, _) or (_, null) => false,
        _ => a.GetType() == b.GetType() && a.Equals(b),
    };

    /// <summary>The Go type name Helm's errors would show.</summary>
    public static string KindOf(object? value) => value switch
    {
        null => "nil",
        bool => "bool",
        long => "int",
        double => "float64",
        string => "string",
        List<object?> => "[]interface {}",
        Dictionary<string, object?> => "map[string]interface {}",
        _ => value.GetType().Name,
    };

    /// <summary>Go's %q (strconv.Quote) for the strings a chart quotes.</summary>
    public static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < 0x20 || c == 0x7f => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static string PrintNested(object? value) => value is null ? "<nil>" : Print(value);
}
