using System.Diagnostics;
using System.Text;

namespace Porthole.Bench.Hub;

/// <summary>
/// Hub load: N WebSocket clients subscribe the same <c>watch:</c> channel (the ConfigMaps of
/// namespace <c>load</c>, which KubeSim's own churn generator updates R times a second) on a
/// real Porthole over a real KubeSim, both in a server process of their own (<see cref="HubServer"/>);
/// the clients run here. For S seconds it measures delivered events/s, p50/p99 latency from the
/// store's commit to client receipt, upstream watches and the server's memory (sampled every
/// 250 ms); then the same N clients on a raw Kestrel broadcast in the server process, at the
/// same rate, as the baseline. Events inside BATCH frames count one by one.
/// Run: dotnet run -c Release --project bench/Porthole.Bench -- hub [--clients 100] [--churn 20] [--seconds 20]
/// </summary>
internal static class HubBench
{
    private static readonly byte[] Subscribe = Encoding.UTF8.GetBytes(
        """{"type":"subscribe","channel":"watch:cm","payload":{"cluster":"sim-admin","version":"v1","resource":"configmaps","namespace":"load"}}""");

    public static async Task<int> RunAsync(int clients, double churn, double seconds, long queueBytes)
    {
        await using var server = ServerLink.Start(churn, queueBytes);
        var (hubUrl, rawUrl) = await server.ReadyAsync;
        while (server.Memory == default)
        {
            await Task.Delay(50);
        }

        var idle = server.Memory;
        Console.WriteLine($"hub bench: {clients} clients, KubeSim churn {churn}/s on 100 ConfigMaps, {seconds} s measured; server process {server.ProcessId}, idle: managed heap {Mib(idle.Heap)} MiB, working set {Mib(idle.WorkingSet)} MiB");

        await MeasureAsync("porthole hub", server, clients, new Uri(hubUrl), Subscribe, seconds,
            async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds));
                await server.AskAsync("stop");
            },
            () => $"upstream watches: {server.Watches.Cache} in Porthole's watch cache for {clients} subscribers; KubeSim open watches {server.Watches.KubeSim} (Porthole's CRD discovery watches count too)");
        await MeasureAsync("raw Kestrel broadcast (baseline)", server, clients, new Uri(rawUrl), null, seconds,
            async () => await server.AskAsync(FormattableString.Invariant($"raw {churn} {seconds}")),
            () => "baseline: one pre-serialized frame per event queued to every socket; no envelope, watch, auth or limits");
        return 0;
    }

    private static async Task MeasureAsync(string label, ServerLink server, int count, Uri url, byte[]? subscribe, double seconds, Func<Task> produce, Func<string> extra)
    {
        var clients = Enumerable.Range(0, count).Select(_ => new BenchClient()).ToList();
        var connectClock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, _) =>
        {
            await c.ConnectAsync(url, subscribe);
            await c.Snapshot.WaitAsync(TimeSpan.FromMinutes(5));
        });
        Console.WriteLine($"{label}: {count} clients connected and holding their snapshot in {connectClock.Elapsed.TotalSeconds:F1} s");

        server.StartWindow();
        var t0 = Stopwatch.GetTimestamp();
        await produce(); // hub: the churn runs in KubeSim for the seconds, then stops; raw: broadcasts for the seconds

        var tStop = Stopwatch.GetTimestamp();
        var writes = server.Writes.Where(w => w.Value >= t0).ToDictionary(w => w.Key, w => w.Value);
        var last = writes.Count == 0 ? 0 : writes.Keys.Max();
        var drain = Stopwatch.StartNew();
        while (clients.Any(c => c.ClosedBecause is null && c.LastVersion < last) && drain.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        var (peakHeap, peakWorkingSet) = server.Peak;
        var watches = extra();
        var closed = clients.Where(c => c.ClosedBecause is not null).Select(c => c.ClosedBecause!).ToList();
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));

        var latencies = new List<double>(writes.Count * count);
        var lastReceipt = tStop;
        foreach (var c in clients)
        {
            foreach (var (version, at) in c.Receipts)
            {
                if (writes.TryGetValue(version, out var written))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(written, at).TotalMilliseconds);
                    lastReceipt = Math.Max(lastReceipt, at);
                }
            }
        }

        latencies.Sort();
        var span = Stopwatch.GetElapsedTime(t0, lastReceipt).TotalSeconds;
        var offered = (long)writes.Count * count;
        Console.WriteLine(FormattableString.Invariant(
            $"{label}: {writes.Count} writes x {count} clients = {offered} events offered in {Stopwatch.GetElapsedTime(t0, tStop).TotalSeconds:F1} s; {latencies.Count} delivered ({100.0 * latencies.Count / Math.Max(1, offered):F1} %) in {span:F1} s = {latencies.Count / span:F0} events/s"));
        Console.WriteLine(FormattableString.Invariant(
            $"  latency write->client p50 {Percentile(latencies, 0.5):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {(latencies.Count == 0 ? 0 : latencies[^1]):F1} ms"));
        Console.WriteLine($"  server memory during the run (peak of 250 ms samples): managed heap {Mib(peakHeap)} MiB, working set {Mib(peakWorkingSet)} MiB");
        Console.WriteLine("  " + watches);
        if (closed.Count > 0)
        {
            Console.WriteLine($"  {closed.Count} clients were closed by the server, e.g. \"{closed[0]}\"");
        }
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
