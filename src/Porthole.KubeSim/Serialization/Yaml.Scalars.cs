using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Porthole.KubeSim.Serialization;

/// <summary>Scalar typing of <see cref="Yaml"/>: go-yaml v2's resolve table.</summary>
public static partial class Yaml
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    private static readonly HashSet<string> Nulls = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private static readonly HashSet<string> Trues = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    };

    private static readonly HashSet<string> Falses = new(StringComparer.Ordinal)
    {
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    };

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlStyleFloat();

    private static JsonNode? ResolveScalar(Scalar scalar)
    {
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag.Length == 0 || tag == "?")
        {
            return scalar.Style is ScalarStyle.Plain ? Resolve(scalar.Value) : JsonValue.Create(scalar.Value);
        }

        return tag switch
        {
            TagPrefix + "str" or "!" => JsonValue.Create(scalar.Value),
            TagPrefix + "null" => null,
            TagPrefix + "bool" or TagPrefix + "int" or TagPrefix + "float" => Resolve(scalar.Value) switch
            {
                JsonValue v when !v.TryGetValue<string>(out _) => v,
                _ => throw new YamlException(scalar.Start, scalar.End, $"cannot decode !!{tag[TagPrefix.Length..]} `{scalar.Value}`"),
            },
            _ => scalar.Style is ScalarStyle.Plain ? Resolve(scalar.Value) : JsonValue.Create(scalar.Value),
        };
    }

    /// <summary>The value of a plain scalar: null, bool, int, float or string.</summary>
    internal static JsonNode? Resolve(string plain)
    {
        if (Nulls.Contains(plain))
        {
            return null;
        }

        if (Trues.Contains(plain))
        {
            return JsonValue.Create(true);
        }

        if (Falses.Contains(plain))
        {
            return JsonValue.Create(false);
        }

        if (plain.Length > 0 && (char.IsAsciiDigit(plain[0]) || plain[0] is '+' or '-' or '.'))
        {
            var number = ResolveNumber(plain.Replace("_", "", StringComparison.Ordinal));
            if (number is not null)
            {
                return number;
            }
        }

        return JsonValue.Create(plain);
    }

    /// <summary>True when a plain scalar with this text would not read back as the same string.</summary>
    internal static bool ResolvesToNonString(string s) =>
        Nulls.Contains(s) || Trues.Contains(s) || Falses.Contains(s)
        || (s.Length > 0 && (char.IsAsciiDigit(s[0]) || s[0] is '+' or '-' or '.') && ResolveNumber(s.Replace("_", "", StringComparison.Ordinal)) is not null)
        || s is ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN"
        || s == "<<";

    private static JsonNode? ResolveNumber(string s)
    {
        if (ParseGoInt(s) is { } integer)
        {
            return JsonNode.Parse(integer.ToString(CultureInfo.InvariantCulture));
        }

        if (YamlStyleFloat().IsMatch(s))
        {
            if (IsDecimalInteger(s))
            {
                // Beyond 64 bits: keep every digit rather than rounding through a float.
                return JsonNode.Parse(s.TrimStart('+'));
            }

            var d = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            return double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(s);
        }

        return null;
    }

    private static bool IsDecimalInteger(string s)
    {
        var digits = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) && !(digits.Length > 1 && digits[0] == '0');
    }

    /// <summary>Go's strconv.ParseInt(s, 0, 64) then ParseUint: sign, 0x/0o/0b prefixes, a leading 0 for octal.</summary>
    private static BigInteger? ParseGoInt(string s)
    {
        var negative = false;
        var body = s;
        if (body.Length > 0 && body[0] is '+' or '-')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        int radix;
        if (body.Length > 2 && body[0] == '0' && body[1] is 'x' or 'X')
        {
            (radix, body) = (16, body[2..]);
        }
        else if (body.Length > 2 && body[0] == '0' && body[1] is 'o' or 'O')
        {
            (radix, body) = (8, body[2..]);
        }
        else if (body.Length > 2 && body[0] == '0' && body[1] is 'b' or 'B')
        {
            (radix, body) = (2, body[2..]);
        }
        else if (body.Length > 1 && body[0] == '0')
        {
            (radix, body) = (8, body[1..]);
        }
        else
        {
            radix = 10;
        }

        if (body.Length == 0)
        {
            return null;
        }

        BigInteger value = 0;
        foreach (var c in body)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return null;
            }

            value = (value * radix) + digit;
        }

        value = negative ? -value : value;
        // Beyond int64 and uint64 Go falls through to the float rules.
        var fits = (value >= long.MinValue && value <= long.MaxValue) || (!negative && value <= ulong.MaxValue);
        return fits ? value : null;
    }
}
