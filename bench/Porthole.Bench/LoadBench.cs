using System.Diagnostics;
using System.Net;
using Porthole.KubeSim.Hosting;

namespace Porthole.Bench;

/// <summary>
/// `--load`: time to seed 10,000 and 100,000 pods, memory with 100,000 pods, and the churn
/// rate sustained while 100 HTTP watchers follow it.
/// </summary>
internal static class LoadBench
{
    public static async Task<int> RunAsync(int watchers, int churnTarget, TimeSpan churnFor, bool churnOnly)
    {
        if (churnOnly)
        {
            await ChurnAsync(watchers, churnTarget, churnFor);
            return 0;
        }

        var emptyStart = await TimeStartAsync(0);
        Console.WriteLine($"start with no load pods: {emptyStart.TotalMilliseconds:F0} ms");
        foreach (var pods in new[] { 10_000, 100_000 })
        {
            Collect();
            var before = GC.GetTotalMemory(true);
            await SeedAsync(pods, emptyStart, before);

            // The last background continuations finish shortly after DisposeAsync returns.
            var released = Stopwatch.StartNew();
            Collect();
            while (GC.GetTotalMemory(true) > before + (16 << 20) && released.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(250);
                Collect();
            }

            Console.WriteLine($"after stopping that simulator: managed heap {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MiB within {released.Elapsed.TotalSeconds:F1} s (was {before / 1024.0 / 1024.0:F0} MiB before it started)");
        }

        await ChurnAsync(watchers, churnTarget, churnFor);
        return 0;
    }

    /// <summary>Starts a simulator seeded with <paramref name="pods"/> pods, waits until they run, and reports times and memory.</summary>
    private static async Task SeedAsync(int pods, TimeSpan emptyStart, long before)
    {
        var clock = Stopwatch.StartNew();
        await using var sim = await Start(new KubeSimOptions { Seed = "empty", Pods = pods });
        var stored = clock.Elapsed;
        Console.WriteLine($"seed {pods} pods: stored in {stored.TotalMilliseconds:F0} ms start-up ({(stored - emptyStart).TotalMilliseconds:F0} ms over an empty start, {pods / Math.Max(0.001, (stored - emptyStart).TotalSeconds):F0} pods/s)");
        await RunningAsync(sim, pods);
        Console.WriteLine($"seed {pods} pods: all scheduled and Running {clock.Elapsed.TotalMilliseconds:F0} ms after the start began");
        Collect();
        var heap = GC.GetTotalMemory(true);
        var events = sim.Store.Count(sim.Registry.Find("", "v1", "events")!);
        Console.WriteLine($"memory with {pods} running pods ({events} events): managed heap {heap / 1024.0 / 1024.0:F0} MiB (+{(heap - before) / 1024.0 / 1024.0:F0} MiB, {(heap - before) / pods} bytes per pod with its events), working set {Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0:F0} MiB");
    }

    /// <summary>
    /// Churns at rising target rates with N watchers on the churned ConfigMaps, until the
    /// writer misses its target or a watcher misses an event (the store drops a watcher that
    /// falls 10,000 events behind, as the API server drops slow watchers).
    /// </summary>
    private static async Task ChurnAsync(int watchers, int maxTarget, TimeSpan duration)
    {
        await using var sim = await Start(new KubeSimOptions { Seed = "empty" });
        sim.Churn.Start(1);
        while (sim.Counters.ChurnWrites == 0)
        {
            await Task.Delay(50);
        }

        await sim.Churn.StopAsync();
        // Double the target until the watchers miss events, then halve the gap a few times.
        var best = 0.0;
        var good = 0;
        var bad = 0;
        for (var target = 250; target <= maxTarget; target *= 2)
        {
            if (!await StepAsync(target))
            {
                bad = target;
                break;
            }

            good = target;
        }

        for (var i = 0; i < 3 && bad > 0 && bad - good > 100; i++)
        {
            var target = (good + bad) / 2;
            if (await StepAsync(target))
            {
                good = target;
            }
            else
            {
                bad = target;
            }
        }

        Console.WriteLine($"sustained churn with {watchers} watchers receiving every event: {best:F0} writes/s (target {good}/s; {bad}/s was not kept up with)");

        async Task<bool> StepAsync(int target)
        {
            var (writes, delivered, fraction) = await ChurnStepAsync(sim, watchers, target, duration);
            Console.WriteLine($"churn target {target}/s with {watchers} HTTP watchers: {writes:F0} writes/s, {delivered:F0} watch events/s delivered ({fraction:P2} of writes x watchers)");
            var kept = fraction >= 1 && writes >= target * 0.95;
            if (kept)
            {
                best = Math.Max(best, writes);
            }

            return kept;
        }
    }

    /// <summary>Waits until every pod of namespace "load" is Running (a byte scan: no parsing).</summary>
    private static async Task RunningAsync(SimServer sim, int pods)
    {
        var type = sim.Registry.Find("", "v1", "pods")!;
        var deadline = Stopwatch.StartNew();
        while (sim.Store.All(type, "load").Count(p => p.Json.AsSpan().IndexOf("\"phase\":\"Running\""u8) >= 0) < pods)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(15))
            {
                throw new TimeoutException($"the {pods} pods were not all Running after 15 minutes");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<(double Writes, double Delivered, double Fraction)> ChurnStepAsync(SimServer sim, int watchers, int target, TimeSpan duration)
    {
        using var cts = new CancellationTokenSource();
        var received = new long[watchers];
        var clients = Enumerable.Range(0, watchers).Select(_ => sim.CreateHttpClient()).ToList();
        var readers = new List<Task>();
        var from = sim.Store.ResourceVersion;
        for (var w = 0; w < watchers; w++)
        {
            var index = w;
            var response = await clients[w].GetAsync($"/api/v1/namespaces/load/configmaps?watch=true&resourceVersion={from}", HttpCompletionOption.ResponseHeadersRead);
            readers.Add(Task.Run(async () =>
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                try
                {
                    while (await reader.ReadLineAsync(cts.Token) is not null)
                    {
                        Interlocked.Increment(ref received[index]);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }));
        }

        var writes0 = sim.Counters.ChurnWrites;
        var clock = Stopwatch.StartNew();
        sim.Churn.Start(target);
        await Task.Delay(duration);
        await sim.Churn.StopAsync();
        var writes = sim.Counters.ChurnWrites - writes0;
        var written = clock.Elapsed.TotalSeconds;

        // Kept up: every watcher has every event at most a second after the writes stop (a
        // longer backlog would grow without bound were the churn to go on).
        var deadline = Stopwatch.StartNew();
        while (received.Sum() < writes * watchers && deadline.Elapsed < TimeSpan.FromSeconds(1) && readers.Any(r => !r.IsCompleted))
        {
            await Task.Delay(50);
        }

        var events = received.Sum();
        var seconds = clock.Elapsed.TotalSeconds;
        await cts.CancelAsync();
        await Task.WhenAll(readers);
        foreach (var c in clients)
        {
            c.Dispose();
        }

        return (writes / written, events / seconds, events / (double)Math.Max(1, writes * watchers));
    }

    private static async Task<TimeSpan> TimeStartAsync(int pods)
    {
        var clock = Stopwatch.StartNew();
        await using var sim = await Start(new KubeSimOptions { Seed = "empty", Pods = pods });
        return clock.Elapsed;
    }

    private static Task<SimServer> Start(KubeSimOptions options) =>
        SimServer.StartAsync(options with { Listen = new IPEndPoint(IPAddress.Loopback, 0) });

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
