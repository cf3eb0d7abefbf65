using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Porthole.KubeSim.Kubelet;

/// <summary>Deterministic identifiers and Kubernetes time formats shared by the kubelet, logs and metrics.</summary>
public static class SimFormat
{
    /// <summary>RFC3339 with second precision, as metav1.Time serialises.</summary>
    public static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC3339 with nanoseconds and trailing zeros trimmed, as Go's time.RFC3339Nano.</summary>
    public static string TimeNano(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var head = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var ticks = utc.Ticks % TimeSpan.TicksPerSecond;
        if (ticks == 0)
        {
            return head + "Z";
        }

        var nanos = (ticks * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return $"{head}.{nanos}Z";
    }

    /// <summary>Parses an RFC3339 time; null when malformed.</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>Lower-case hex SHA-256 of the parts, a stand-in for runtime-assigned ids.</summary>
    public static string Hex(params string[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A stable 64-bit hash (FNV-1a) of a string, for deterministic variation.</summary>
    public static ulong Hash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }

        return h;
    }

    /// <summary>Mixes a hash with a number (splitmix64), for per-line or per-window variation.</summary>
    public static ulong Mix(ulong seed, long n)
    {
        var z = seed + ((ulong)n * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1) from a mixed hash.</summary>
    public static double Unit(ulong h) => (h >> 11) * (1.0 / (1UL << 53));

    /// <summary>A deterministic RFC 4122-shaped UUID from the parts.</summary>
    public static string Uuid(params string[] parts)
    {
        var h = Hex(parts);
        return $"{h[..8]}-{h[8..12]}-4{h[13..16]}-a{h[17..20]}-{h[20..32]}";
    }
}
