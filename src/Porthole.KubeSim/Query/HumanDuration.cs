using System.Globalization;

namespace Porthole.KubeSim.Query;

/// <summary>
/// Ages as the API server's table printers show them (util/duration.HumanDuration):
/// "45s", "3m20s", "15m", "5h2m", "20h", "2d4h", "45d", "2y30d", "9y".
/// </summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)Math.Truncate(d.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Fmt("{0}s", seconds);
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? Fmt("{0}m", minutes) : Fmt("{0}m{1}s", minutes, s);
        }

        if (minutes < 60 * 3)
        {
            return Fmt("{0}m", minutes);
        }

        var hours = seconds / 3600;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Fmt("{0}h", hours) : Fmt("{0}h{1}m", hours, m);
        }

        if (hours < 48)
        {
            return Fmt("{0}h", hours);
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Fmt("{0}d", hours / 24) : Fmt("{0}d{1}h", hours / 24, h);
        }

        if (hours < 24 * 365 * 2)
        {
            return Fmt("{0}d", hours / 24);
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? Fmt("{0}y", hours / 24 / 365) : Fmt("{0}y{1}d", hours / 24 / 365, dy);
        }

        return Fmt("{0}y", hours / 24 / 365);
    }

    /// <summary>translateTimestampSince: "&lt;unknown&gt;" for a missing or unparseable timestamp.</summary>
    public static string Since(string? timestamp, DateTimeOffset now) =>
        TryParse(timestamp, out var t) ? Format(now - t) : "<unknown>";

    /// <summary>Parses an RFC 3339 timestamp (metav1.Time or MicroTime).</summary>
    public static bool TryParse(string? timestamp, out DateTimeOffset value)
    {
        value = default;
        return !string.IsNullOrEmpty(timestamp)
            && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static string Fmt(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
