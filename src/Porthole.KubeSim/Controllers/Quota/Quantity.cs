using System.Globalization;

namespace Porthole.KubeSim.Controllers.Quota;

/// <summary>
/// A resource.Quantity for quota arithmetic: an exact decimal value and whether it was written
/// with binary suffixes (Ki, Mi...), which sums keep, as Go's Quantity.Add keeps the format of
/// the first operand that has one. Printed canonically: "0", "3", "1500m", "4k", "192Mi".
/// </summary>
internal readonly record struct Quantity(decimal Value, bool Binary)
{
    private static readonly (string Suffix, decimal Factor)[] BinarySuffixes =
        [("Ei", Pow(1024, 6)), ("Pi", Pow(1024, 5)), ("Ti", Pow(1024, 4)), ("Gi", Pow(1024, 3)), ("Mi", Pow(1024, 2)), ("Ki", 1024)];

    private static readonly (string Suffix, decimal Factor)[] DecimalSuffixes =
        [("E", 1e18m), ("P", 1e15m), ("T", 1e12m), ("G", 1e9m), ("M", 1e6m), ("k", 1e3m), ("", 1m), ("m", 1e-3m), ("u", 1e-6m), ("n", 1e-9m)];

    public static Quantity Zero => default;

    public static Quantity Count(long n) => new(n, false);

    /// <summary>Parses "250m", "64Mi", "2", "1e3"; null when empty or malformed.</summary>
    public static Quantity? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (var (suffix, factor) in BinarySuffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && Number(text[..^suffix.Length]) is { } n)
            {
                return new Quantity(n * factor, true);
            }
        }

        foreach (var (suffix, factor) in DecimalSuffixes.Where(s => s.Suffix.Length > 0))
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && Number(text[..^suffix.Length]) is { } n)
            {
                return new Quantity(n * factor, false);
            }
        }

        return Number(text) is { } plain ? new Quantity(plain, false) : null;
    }

    public Quantity Add(Quantity other) => new(Value + other.Value, Value != 0 ? Binary : other.Binary);

    public static Quantity Max(Quantity a, Quantity b) => a.Value >= b.Value ? a : b;

    public override string ToString()
    {
        if (Value == 0)
        {
            return "0";
        }

        if (Binary && decimal.Truncate(Value) == Value)
        {
            foreach (var (suffix, factor) in BinarySuffixes)
            {
                if (Value % factor == 0)
                {
                    return Int(Value / factor) + suffix;
                }
            }

            return Int(Value);
        }

        foreach (var (suffix, factor) in DecimalSuffixes)
        {
            var scaled = Value / factor;
            if (decimal.Truncate(scaled) == scaled)
            {
                return Int(scaled) + suffix;
            }
        }

        return Value.ToString(CultureInfo.InvariantCulture);
    }

    private static string Int(decimal d) => decimal.Truncate(d).ToString(CultureInfo.InvariantCulture);

    private static decimal? Number(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static decimal Pow(decimal b, int e)
    {
        var r = 1m;
        for (var i = 0; i < e; i++)
        {
            r *= b;
        }

        return r;
    }
}
