using System.Globalization;

namespace Porthole.KubeSim.Metrics;

/// <summary>Just enough resource.Quantity parsing and formatting for usage figures.</summary>
public static class Quantities
{
    private static readonly (string Suffix, double Factor)[] Suffixes =
    [
        ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
        ("Pi", 1024d * 1024 * 1024 * 1024 * 1024), ("Ei", 1024d * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
    ];

    /// <summary>The value of a quantity ("250m" -> 0.25, "64Mi" -> 67108864), or null when malformed.</summary>
    public static double? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var scaled))
            {
                return scaled * factor;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
    }

    /// <summary>CPU cores as nanocores, the way metrics-server reports usage ("12345678n").</summary>
    public static string Nanocores(double cores) =>
        ((long)Math.Round(cores * 1e9)).ToString(CultureInfo.InvariantCulture) + "n";

    /// <summary>Bytes as kibibytes ("52340Ki").</summary>
    public static string Kibibytes(double bytes) =>
        ((long)Math.Round(bytes / 1024)).ToString(CultureInfo.InvariantCulture) + "Ki";
}
