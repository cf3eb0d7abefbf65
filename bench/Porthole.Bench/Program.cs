using System.Diagnostics;
using System.Net;
using System.Text;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Hosting;

namespace Porthole.Bench;

/// <summary>
/// KubeSim benchmarks: seeding, listing 10,000 pods, watch fan-out to 100 watchers and memory.
/// Run: dotnet run -c Release --project bench/Porthole.Bench -- [--pods 10000] [--watchers 100] [--events 2000]
/// or, for seeding, memory and churn: -- --load [--churn-only] [--watchers 100] [--churn 20000] [--seconds 10]
/// Store: dotnet run -c Release --project bench/Porthole.Bench -- store [--database-url postgres://...] [--entries 20000] [--revocations 200] (bench/store-bench.sh)
/// Protobuf codec: dotnet run -c Release --project bench/Porthole.Bench -- protobuf [--pods 10000] [--rounds 7]
/// Hub load: dotnet run -c Release --project bench/Porthole.Bench -- hub [--clients 100] [--churn 20] [--seconds 20] [--queue-bytes 1048576]
/// Impersonation headers: dotnet run -c Release --project bench/Porthole.Bench -- impersonation [--requests 20000]
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "hub")
        {
            return await Hub.HubBench.RunAsync(Arg(args, "--clients", 100), Arg(args, "--churn", 20), Arg(args, "--seconds", 20), Arg(args, "--queue-bytes", 1024 * 1024));
        }

        if (args.Length > 0 && args[0] == "impersonation")
        {
            return await ImpersonationBench.RunAsync(Arg(args, "--requests", 20_000));
        }

        if (args.Length > 0 && args[0] == "store")
        {
            var url = Array.IndexOf(args, "--database-url") is var u and >= 0 && u + 1 < args.Length ? args[u + 1] : Environment.GetEnvironmentVariable("PORTHOLE_DATABASE_URL");
            return await Store.StoreBench.RunAsync(url, Arg(args, "--entries", 20_000), Arg(args, "--revocations", 200));
        }

        if (args.Length > 0 && args[0] == "protobuf")
        {
            return await Protobuf.ProtobufBench.RunAsync(Arg(args, "--pods", 10_000), Arg(args, "--rounds", 7));
        }

        if (args.Length > 0 && args[0] == "hub-server")
        {
            return await Hub.HubServer.RunAsync(Arg(args, "--churn", 20), Arg(args, "--queue-bytes", 1024 * 1024));
        }

        var pods = Arg(args, "--pods", 10_000);
        var watchers = Arg(args, "--watchers", 100);
        var events = Arg(args, "--events", 2_000);
        if (args.Contains("--load"))
        {
            return await LoadBench.RunAsync(watchers, Arg(args, "--churn", 20_000), TimeSpan.FromSeconds(Arg(args, "--seconds", 10)), args.Contains("--churn-only"));
        }

        var before = Process.GetCurrentProcess().WorkingSet64;
        var seedClock = Stopwatch.StartNew();
        await using var sim = await SimServer.StartAsync(new KubeSimOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Seed = "empty",
            Pods = pods,
        });
        seedClock.Stop();
        var podType = sim.Registry.Find("", "v1", "pods")!;
        Console.WriteLine($"seed: {pods} pods stored in {seedClock.Elapsed.TotalMilliseconds:F0} ms (server start included)");

        var running = Stopwatch.StartNew();
        while (sim.Store.List(podType, "load", o => o.Parse()["status"]?["phase"]?.GetValue<string>() == "Running").Items.Count < pods)
        {
            await Task.Delay(200);
        }

        Console.WriteLine($"kubelet: {pods} pods scheduled and Running {running.Elapsed.TotalMilliseconds:F0} ms after start-up");
        using var http = Client(sim);
        await ReportMemoryAsync($"memory with {pods} running pods", before);

        // List all pods, as a client without paging would.
        var sizes = new List<long>();
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var clock = Stopwatch.StartNew();
            var bytes = await http.GetByteArrayAsync("/api/v1/pods");
            clock.Stop();
            if (i > 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
                sizes.Add(bytes.Length);
            }
        }

        Console.WriteLine($"list {sim.Store.Count(podType)} pods: median {Median(times):F1} ms, {sizes[0] / 1024.0 / 1024.0:F2} MiB per response (5 runs after a warm-up)");

        await WatchFanOutAsync(sim, watchers, events);
        await ReportMemoryAsync("memory at end", before);
        return 0;
    }

    /// <summary>Opens N HTTP watches on configmaps, writes E changes, and times delivery of all N×E events.</summary>
    private static async Task WatchFanOutAsync(SimServer sim, int watchers, int events)
    {
        var cmType = sim.Registry.Find("", "v1", "configmaps")!;
        var start = sim.Store.ResourceVersion;
        var received = new long[watchers];
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var clients = Enumerable.Range(0, watchers).Select(_ => Client(sim)).ToList();
        var tasks = new List<Task>();
        for (var w = 0; w < watchers; w++)
        {
            var index = w;
            var response = await clients[w].GetAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
            tasks.Add(Task.Run(async () =>
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
                while (Interlocked.Read(ref received[index]) < events && await reader.ReadLineAsync(cts.Token) is not null)
                {
                    Interlocked.Increment(ref received[index]);
                }
            }, cts.Token));
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            sim.Store.Create(cmType, new System.Text.Json.Nodes.JsonObject
            {
                ["kind"] = "ConfigMap",
                ["apiVersion"] = "v1",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = $"bench-{i}", ["namespace"] = "default", ["uid"] = Guid.NewGuid().ToString() },
                ["data"] = new System.Text.Json.Nodes.JsonObject { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        var written = clock.Elapsed;
        await Task.WhenAll(tasks);
        clock.Stop();
        var total = received.Sum();
        Console.WriteLine($"watch fan-out: {events} writes in {written.TotalMilliseconds:F0} ms; {total} events delivered to {watchers} watchers in {clock.Elapsed.TotalMilliseconds:F0} ms = {total / clock.Elapsed.TotalSeconds:F0} events/s");
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    private static async Task ReportMemoryAsync(string label, long baseline)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await Task.Yield();
        var process = Process.GetCurrentProcess();
        Console.WriteLine($"{label}: managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F0} MiB, working set {process.WorkingSet64 / 1024.0 / 1024.0:F0} MiB (start {baseline / 1024.0 / 1024.0:F0} MiB)");
    }

    private static HttpClient Client(SimServer sim) => sim.CreateHttpClient();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
