using System.Globalization;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Logs;

/// <summary>One container instance whose output is generated: identity and start time.</summary>
public readonly record struct LogSource(string PodUid, string Container, DateTimeOffset Start)
{
    internal ulong Seed => SimFormat.Hash($"{PodUid}/{Container}/{Start.UtcTicks.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>
/// Synthesises container output. Line n (from 1, no gaps) of a container instance is a pure
/// function of (pod uid, container, start time, n), with a timestamp inside the n-th interval
/// after the start, so logs need no storage and any window can be regenerated exactly.
/// </summary>
public sealed class LogGenerator
{
    private static readonly string[] Paths =
        ["/api/orders", "/api/orders/{id}", "/api/users/{id}", "/api/cart", "/api/products", "/api/products/{id}/reviews", "/healthz", "/readyz", "/metrics", "/api/checkout"];

    private static readonly string[] Tables = ["orders", "users", "products", "sessions", "payments", "inventory"];

    private static readonly string[] Upstreams = ["payments:8080", "inventory:9090", "redis:6379", "postgres:5432", "auth:8443"];

    public LogGenerator(TimeSpan? interval = null)
    {
        Interval = interval is { } i && i > TimeSpan.Zero ? i : TimeSpan.FromSeconds(1);
    }

    /// <summary>Time between lines on average (each line falls somewhere in its own interval).</summary>
    public TimeSpan Interval { get; }

    /// <summary>When line <paramref name="n"/> (1-based) was written.</summary>
    public DateTimeOffset TimeOf(LogSource source, long n)
    {
        var jitter = SimFormat.Unit(SimFormat.Mix(source.Seed, n)) * 0.9;
        return source.Start + TimeSpan.FromTicks((long)((n - 1 + jitter) * Interval.Ticks));
    }

    /// <summary>How many lines were written up to and including <paramref name="at"/>.</summary>
    public long CountAt(LogSource source, DateTimeOffset at)
    {
        if (at < source.Start)
        {
            return 0;
        }

        var k = (at - source.Start).Ticks / Interval.Ticks;
        return TimeOf(source, k + 1) <= at ? k + 1 : k;
    }

    /// <summary>The first line written at or after <paramref name="at"/>.</summary>
    public long FirstAtOrAfter(LogSource source, DateTimeOffset at)
    {
        if (at <= source.Start)
        {
            return 1;
        }

        var k = (at - source.Start).Ticks / Interval.Ticks;
        return TimeOf(source, k + 1) >= at ? k + 1 : k + 2;
    }

    /// <summary>The text of line <paramref name="n"/>, without the newline.</summary>
    public string Text(LogSource source, long n)
    {
        var at = TimeOf(source, n).UtcDateTime;
        var h = SimFormat.Mix(source.Seed ^ 0x5bd1e995UL, n);
        var nanos = ((at.Ticks % TimeSpan.TicksPerSecond) * 100) + (long)(h % 100);
        var stamp = at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + "Z";
        var (level, message) = Message(source, n, h);
        return $"{stamp} {level,-5} [{source.Container}] seq={n.ToString(CultureInfo.InvariantCulture)} {message}";
    }

    private static (string Level, string Message) Message(LogSource source, long n, ulong h)
    {
        switch (n)
        {
            case 1:
                return ("INFO", $"starting {source.Container} version=1.{(source.Seed % 9).ToString(CultureInfo.InvariantCulture)}.{(source.Seed % 23).ToString(CultureInfo.InvariantCulture)} pid=1");
            case 2:
                return ("INFO", $"listening on 0.0.0.0:{(8000 + (int)(source.Seed % 100)).ToString(CultureInfo.InvariantCulture)}");
            case 3:
                return ("INFO", "ready to serve requests");
        }

        var pick = (int)(h % 1000);
        var a = (int)((h >> 10) % 10_000);
        var b = (int)((h >> 24) % 997);
        string Of<T>(T[] items) => items[(int)((h >> 40) % (ulong)items.Length)]!.ToString()!;
        var path = Of(Paths).Replace("{id}", a.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return pick switch
        {
            < 15 => ("ERROR", $"upstream request failed host={Of(Upstreams)} error=\"context deadline exceeded\" after {(1000 + b).ToString(CultureInfo.InvariantCulture)}ms"),
            < 70 => ("WARN", $"slow request GET {path} took {(500 + b).ToString(CultureInfo.InvariantCulture)}ms"),
            < 150 => ("DEBUG", $"cache {((h & 1) == 0 ? "hit" : "miss")} key={Of(Tables)}:{a.ToString(CultureInfo.InvariantCulture)}"),
            < 250 => ("INFO", $"db query table={Of(Tables)} rows={(b % 50).ToString(CultureInfo.InvariantCulture)} took={(1 + (b % 30)).ToString(CultureInfo.InvariantCulture)}ms"),
            < 330 => ("INFO", $"POST {path} 201 {(5 + (b % 80)).ToString(CultureInfo.InvariantCulture)}ms"),
            < 360 => ("INFO", $"GET {path} 404 {(1 + (b % 5)).ToString(CultureInfo.InvariantCulture)}ms"),
            < 380 => ("INFO", $"worker heartbeat queue=default depth={(b % 12).ToString(CultureInfo.InvariantCulture)}"),
            _ => ("INFO", $"GET {path} 200 {(1 + (b % 60)).ToString(CultureInfo.InvariantCulture)}ms"),
        };
    }
}
