using System.Globalization;
using System.Text;

namespace Porthole.KubeSim.Protobuf;

/// <summary>
/// The JSON text of metav1.Time (RFC 3339, seconds), MicroTime (RFC 3339, six fraction digits)
/// and Duration (Go's time.Duration String, "1h2m3.5s") as Go writes and reads them.
/// </summary>
internal static class GoFormats
{
    private const long NanosPerSecond = 1_000_000_000;

    public static string FormatTime(long seconds, bool micro, int nanos)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        return micro
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + (nanos / 1000).ToString("D6", CultureInfo.InvariantCulture) + "Z"
            : t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses RFC 3339 ("2006-01-02T15:04:05.999999999Z07:00") into Unix seconds and nanos.</summary>
    public static bool TryParseTime(string s, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        if (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }

            var frac = s[start..Math.Min(i, start + 9)].PadRight(9, '0');
            nanos = int.Parse(frac, CultureInfo.InvariantCulture);
        }

        var offset = 0;
        if (i < s.Length && (s[i] == 'Z' || s[i] == 'z') && i + 1 == s.Length)
        {
        }
        else if (i + 6 == s.Length && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om))
        {
            offset = ((oh * 60) + om) * (s[i] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        try
        {
            var t = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromMinutes(offset));
            seconds = t.ToUnixTimeSeconds();
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Go's time.Duration.String.</summary>
    public static string FormatDuration(long d)
    {
        if (d == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (d < 0)
        {
            sb.Append('-');
        }

        var u = d == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(d);
        if (u < NanosPerSecond)
        {
            if (u < 1000)
            {
                return sb.Append(u.ToString(CultureInfo.InvariantCulture)).Append("ns").ToString();
            }

            var (digits, unit) = u < 1_000_000 ? (3, "µs") : (6, "ms");
            return sb.Append(Fraction(u, digits)).Append(unit).ToString();
        }

        var totalSeconds = u / NanosPerSecond;
        var hours = totalSeconds / 3600;
        var minutes = totalSeconds / 60 % 60;
        if (hours > 0)
        {
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return sb.Append(Fraction((u % (60 * NanosPerSecond)), 9)).Append('s').ToString();
    }

    /// <summary>Go's time.ParseDuration.</summary>
    public static bool TryParseDuration(string s, out long nanos)
    {
        nanos = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            negative = s[i] == '-';
            i++;
        }

        if (s[i..] == "0")
        {
            return true;
        }

        if (i == s.Length)
        {
            return false;
        }

        decimal total = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !decimal.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            decimal? scale = s[unitStart..i] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => null,
            };
            if (scale is null)
            {
                return false;
            }

            total += value * scale.Value;
        }

        if (total > long.MaxValue)
        {
            return false;
        }

        nanos = (long)decimal.Truncate(total) * (negative ? -1 : 1);
        return true;
    }

    private static string Fraction(ulong v, int digits)
    {
        var scale = (ulong)Math.Pow(10, digits);
        var whole = v / scale;
        var frac = (v % scale).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return frac.Length == 0 ? whole.ToString(CultureInfo.InvariantCulture) : whole.ToString(CultureInfo.InvariantCulture) + "." + frac;
    }

    private static bool Digits(string s, int at, int count, out int value)
    {
        value = 0;
        for (var i = at; i < at + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }
}
