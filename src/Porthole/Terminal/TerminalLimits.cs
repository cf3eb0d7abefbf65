using System.Globalization;

namespace Porthole.Terminal;

/// <summary>
/// How long a terminal may live: at most <see cref="Lifetime"/> in all, and at most
/// <see cref="IdleTimeout"/> since the user last typed (<see cref="TimeSpan.Zero"/>: no idle limit).
/// Each is announced before it hits: <see cref="LifetimeWarning"/> and <see cref="IdleWarning"/>
/// ahead, at most a tenth of the limit.
/// </summary>
public sealed record TerminalLimits(TimeSpan Lifetime, TimeSpan IdleTimeout)
{
    public static readonly TimeSpan LifetimeWarning = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan IdleWarning = TimeSpan.FromMinutes(1);

    /// <summary>How far ahead of <paramref name="limit"/> its notice comes.</summary>
    public static TimeSpan Lead(TimeSpan limit, TimeSpan warning) => TimeSpan.FromTicks(Math.Min(warning.Ticks, limit.Ticks / 10));

    /// <summary>"8 h", "30 min", "45 s".</summary>
    public static string Describe(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes:0} min"
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");
}
