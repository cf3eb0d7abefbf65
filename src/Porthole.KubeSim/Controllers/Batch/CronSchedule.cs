using System.Globalization;

namespace Porthole.KubeSim.Controllers.Batch;

/// <summary>
/// A standard 5-field cron schedule (minute hour day-of-month month day-of-week) with *, */n,
/// ranges, steps, lists, month and weekday names, and the @yearly/@monthly/@weekly/@daily/@hourly
/// shorthands, as robfig/cron parses a CronJob's schedule. Times are UTC.
/// </summary>
internal sealed class CronSchedule
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly bool _domStar;
    private readonly bool _dowStar;

    private CronSchedule(string[] fields)
    {
        _minutes = Field(fields[0], 0, 59, null);
        _hours = Field(fields[1], 0, 23, null);
        _daysOfMonth = Field(fields[2], 1, 31, null);
        _months = Field(fields[3], 1, 12, Months);
        _daysOfWeek = Field(fields[4], 0, 7, Days);
        _daysOfWeek[0] |= _daysOfWeek[7];
        _domStar = fields[2] is "*" or "?";
        _dowStar = fields[4] is "*" or "?";
    }

    /// <summary>Parses a schedule; throws FormatException with the reason.</summary>
    public static CronSchedule Parse(string text)
    {
        var spec = text.Trim();
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            spec = spec[(spec.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        }

        spec = spec switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            _ => spec,
        };
        var fields = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 5
            ? new CronSchedule(fields)
            : throw new FormatException($"expected exactly 5 fields, found {fields.Length.ToString(CultureInfo.InvariantCulture)}: {text}");
    }

    /// <summary>The first scheduled minute strictly after <paramref name="after"/>, or null within the next five years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var t = new DateTimeOffset(after.UtcDateTime.Year, after.UtcDateTime.Month, after.UtcDateTime.Day, after.UtcDateTime.Hour, after.UtcDateTime.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month])
            {
                t = new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1);
            }
            else if (!_hours[t.Hour])
            {
                t = new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
            }
            else if (!_minutes[t.Minute])
            {
                t = t.AddMinutes(1);
            }
            else
            {
                return t;
            }
        }

        return null;
    }

    private bool DayMatches(DateTimeOffset t)
    {
        var dom = _daysOfMonth[t.Day];
        var dow = _daysOfWeek[(int)t.DayOfWeek];
        return _domStar || _dowStar ? dom && dow : dom || dow;
    }

    private static bool[] Field(string text, int min, int max, string[]? names)
    {
        var set = new bool[max + 1];
        foreach (var part in text.Split(','))
        {
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            var range = slash >= 0 ? part[..slash] : part;
            var step = slash >= 0 ? Number(part[(slash + 1)..], null) : 1;
            if (step <= 0)
            {
                throw new FormatException($"step of range should be a positive number: {part}");
            }

            int low, high;
            if (range is "*" or "?")
            {
                (low, high) = (min, max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                (low, high) = (Number(range[..dash], names), Number(range[(dash + 1)..], names));
            }
            else
            {
                low = Number(range, names);
                high = slash >= 0 ? max : low;
            }

            if (low < min || high > max || low > high)
            {
                throw new FormatException($"value out of range ({min.ToString(CultureInfo.InvariantCulture)} - {max.ToString(CultureInfo.InvariantCulture)}): {part}");
            }

            for (var i = low; i <= high; i += step)
            {
                set[i] = true;
            }
        }

        return set;
    }

    private static int Number(string text, string[]? names)
    {
        if (names is not null && Array.IndexOf(names, text.ToLowerInvariant()) is var i and >= 0)
        {
            return i + (names.Length == 12 ? 1 : 0);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"failed to parse int from {text}: invalid syntax");
    }
}
