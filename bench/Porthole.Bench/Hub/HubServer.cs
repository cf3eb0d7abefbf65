using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Porthole.Clusters.Caching;
using Porthole.Hosting;
using Porthole.KubeSim.Hosting;

namespace Porthole.Bench.Hub;

/// <summary>
/// The server side of the hub bench, in a process of its own so its memory is the server's:
/// KubeSim (empty seed) with its churn generator, Porthole on Kestrel and the raw broadcast
/// baseline. It talks to the bench over stdio, one line each:
/// out <c>ready PORTHOLE_WS RAW_WS</c>, <c>w RV TIMESTAMP</c> (a write to a churned ConfigMap as
/// KubeSim's store commits it), <c>mem HEAP WORKING_SET</c> and <c>watches CACHE KUBESIM</c>
/// (every 250 ms), <c>stopped LAST_RV</c>, <c>raw-done</c>;
/// in <c>stop</c> (end the churn), <c>raw RATE SECONDS</c> (broadcast), <c>quit</c>.
/// Timestamps are <see cref="Stopwatch.GetTimestamp"/>: the monotonic clock, the same in both processes.
/// </summary>
internal static class HubServer
{
    public static async Task<int> RunAsync(double churn, long queueBytes)
    {
        await using var sim = await SimServer.StartAsync(new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Seed = "empty" });
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"porthole-bench-{Environment.ProcessId}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sim.Kubeconfig);
        var cmType = sim.Registry.Find("", "v1", "configmaps")!;
        var output = new Output();

        // Every committed write to a churned ConfigMap, stamped as the store hands it out.
        using var writes = sim.Store.Watch(cmType, 0, capacity: 1_000_000);
        var stamping = Task.Run(async () =>
        {
            await foreach (var e in writes.Events.ReadAllAsync())
            {
                var now = Stopwatch.GetTimestamp();
                if (e.Object.Namespace == "load")
                {
                    output.Line($"w {e.ResourceVersion} {now}");
                }
            }
        });

        await using var porthole = await StartPortholeAsync(kubeconfig, queueBytes);
        await using var raw = await RawBroadcast.StartAsync();
        sim.Churn.Start(churn);
        var cache = porthole.Services.GetRequiredService<WatchCache>();
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await timer.WaitForNextTickAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                process.Refresh();
                output.Line($"mem {GC.GetTotalMemory(false)} {process.WorkingSet64}");
                output.Line($"watches {cache.Count} {sim.Counters.OpenWatches}");
            }
        });

        var ws = porthole.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/ws";
        output.Line($"ready {ws} {raw.Url}");
        while (Console.ReadLine() is { } command)
        {
            var words = command.Split(' ');
            switch (words[0])
            {
                case "stop":
                    await sim.Churn.StopAsync();
                    output.Line($"stopped {sim.Store.ResourceVersion}");
                    break;
                case "raw":
                    await raw.BroadcastAsync(double.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[2], CultureInfo.InvariantCulture), output.Line);
                    output.Line("raw-done");
                    break;
                case "quit":
                    await stop.CancelAsync();
                    await sampling;
                    writes.Dispose();
                    File.Delete(kubeconfig);
                    return 0;
            }
        }

        return 0;
    }

    private static async Task<WebApplication> StartPortholeAsync(string kubeconfig, long queueBytes)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.AddPortholeHosting(new PortholeOptions { Port = 0, RateLimit = 1_000_000, RateBurst = 1_000_000, Kubeconfig = kubeconfig, DataDir = Path.Combine(Path.GetTempPath(), $"porthole-bench-data-{Environment.ProcessId}") });
        builder.Logging.ClearProviders();
        builder.AddPortholeFeatures();
        builder.Services.AddSingleton(new Porthole.Hub.HubOptions { RateLimit = 1_000_000, RateBurst = 1_000_000, SendQueueBytes = queueBytes });
        var app = builder.Build();
        app.UsePortholePipeline();
        app.MapPortholeEndpoints();
        await app.StartAsync();
        return app;
    }

    /// <summary>stdout lines from several tasks, written whole.</summary>
    private sealed class Output
    {
        private readonly Lock _gate = new();
        private readonly TextWriter _out = Console.Out;

        public void Line(string text)
        {
            lock (_gate)
            {
                _out.WriteLine(text);
                _out.Flush();
            }
        }
    }
}
