using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Porthole.Clusters.Caching;
using Porthole.Hosting;
using Porthole.KubeSim.Hosting;

namespace Porthole.Bench;

/// <summary>
/// Hub fan-out: N WebSocket clients subscribe the same watch (configmaps in one namespace) on a
/// real Porthole over real KubeSim; E objects are written to KubeSim's store at a steady rate.
/// Reports delivered events/s, p50/p99 latency from the KubeSim write to client receipt,
/// upstream watches and memory; then the same N×E over a raw Kestrel WebSocket broadcast in
/// the same process as a baseline. Clients, servers and KubeSim share this process and its cores.
/// Run: dotnet run -c Release --project bench/Porthole.Bench -- hub [--clients 100] [--events 1000] [--rate 500]
/// </summary>
internal static class HubFanOut
{
    public static async Task<int> RunAsync(int clients, int events, int rate)
    {
        var baseline = Process.GetCurrentProcess().WorkingSet64;
        await using var sim = await SimServer.StartAsync(new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Seed = "empty" });
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"porthole-bench-{Environment.ProcessId}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sim.Kubeconfig);
        var cmType = sim.Registry.Find("", "v1", "configmaps")!;
        sim.Store.Create(sim.Registry.Find("", "v1", "namespaces")!, new JsonObject { ["kind"] = "Namespace", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["name"] = "bench", ["uid"] = Guid.NewGuid().ToString() } });

        await using var porthole = await StartPortholeAsync(kubeconfig);
        var watchesBefore = sim.Counters.OpenWatches;
        var url = porthole.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/ws";
        var subscribe = Encoding.UTF8.GetBytes("""{"type":"subscribe","channel":"watch:cm","payload":{"cluster":"sim-admin","version":"v1","resource":"configmaps","namespace":"bench"}}""");
        var hub = await MeasureAsync("porthole hub", clients, events, rate,
            async () =>
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await socket.ConnectAsync(new Uri(url), CancellationToken.None);
                await socket.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
                return socket;
            },
            i => sim.Store.Create(cmType, ConfigMap(i)),
            () => $"upstream watches for {clients} subscribers: {porthole.Services.GetRequiredService<WatchCache>().Count} (Porthole watch cache); KubeSim open watches {sim.Counters.OpenWatches} (before the clients: {watchesBefore}; Porthole's CRD discovery watches count too)");
        await ReportMemoryAsync("memory after the hub run (this process: KubeSim + Porthole + clients)", baseline);

        await using var raw = await RawBroadcast.StartAsync();
        await MeasureAsync("raw Kestrel broadcast (baseline)", clients, events, rate,
            async () =>
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(raw.Url, CancellationToken.None);
                return socket;
            },
            raw.Broadcast,
            () => "baseline: one pre-serialized frame per event written to every socket, no envelope, no watch");
        File.Delete(kubeconfig);
        _ = hub;
        return 0;
    }

    /// <summary>Connects N clients, writes E events at <paramref name="rate"/>/s, waits for all deliveries and prints the numbers.</summary>
    private static async Task<double> MeasureAsync(string label, int clients, int events, int rate, Func<Task<ClientWebSocket>> connect, Action<int> write, Func<string> extra)
    {
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < clients; i++)
        {
            sockets.Add(await connect());
        }

        var latencies = new double[clients][];
        var ready = new CountdownEvent(clients);
        var done = new TaskCompletionSource();
        var remaining = clients;
        var readers = sockets.Select((s, index) => Task.Run(async () =>
        {
            latencies[index] = await ReadAsync(s, events, ready);
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                done.TrySetResult();
            }
        })).ToList();
        if (!ready.Wait(TimeSpan.FromMinutes(5)))
        {
            throw new TimeoutException("clients did not get their snapshots");
        }

        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        for (var i = 0; i < events; i++)
        {
            var due = interval * i - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due);
            }

            write(i);
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        clock.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var delivered = all.Length;
        Console.WriteLine($"{label}: {clients} clients x {events} events at {rate}/s: {delivered} delivered in {clock.Elapsed.TotalSeconds:F1} s = {delivered / clock.Elapsed.TotalSeconds:F0} events/s; latency write->client p50 {Percentile(all, 0.5):F1} ms, p99 {Percentile(all, 0.99):F1} ms, max {all[^1]:F1} ms");
        Console.WriteLine("  " + extra());
        foreach (var s in sockets)
        {
            s.Abort();
            s.Dispose();
        }

        await Task.WhenAll(readers).ContinueWith(_ => { }, TaskScheduler.Default);
        return delivered / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Reads frames until <paramref name="events"/> objects arrived; returns each one's latency (ms) from its write stamp.</summary>
    private static async Task<double[]> ReadAsync(ClientWebSocket socket, int events, CountdownEvent ready)
    {
        var result = new double[events];
        var count = 0;
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        var signalled = false;
        while (count < events)
        {
            var r = await socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, r.Count);
            if (!r.EndOfMessage)
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            var bytes = message.GetBuffer().AsSpan(0, (int)message.Length);
            message.SetLength(0);
            if (!signalled && (bytes.IndexOf("SNAPSHOT"u8) >= 0 || bytes.IndexOf("\"ready\""u8) >= 0))
            {
                signalled = true;
                ready.Signal();
                continue;
            }

            // One stamp per object: a BATCH frame carries several.
            for (var at = bytes.IndexOf("\"stamp\":\""u8); at >= 0 && count < events; at = bytes.IndexOf("\"stamp\":\""u8))
            {
                bytes = bytes[(at + 9)..];
                var end = bytes.IndexOf((byte)'"');
                var stamp = long.Parse(Encoding.ASCII.GetString(bytes[..end]), System.Globalization.CultureInfo.InvariantCulture);
                result[count++] = Stopwatch.GetElapsedTime(stamp, now).TotalMilliseconds;
            }
        }

        return result;
    }

    private static JsonObject ConfigMap(int i) => new()
    {
        ["kind"] = "ConfigMap",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = $"bench-{i}", ["namespace"] = "bench", ["uid"] = Guid.NewGuid().ToString() },
        ["data"] = new JsonObject { ["stamp"] = Stopwatch.GetTimestamp().ToString(System.Globalization.CultureInfo.InvariantCulture), ["pad"] = new string('x', 200) },
    };

    private static async Task<WebApplication> StartPortholeAsync(string kubeconfig)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.AddPortholeHosting(new PortholeOptions { Port = 0, RateLimit = 1_000_000, RateBurst = 1_000_000, Kubeconfig = kubeconfig, DataDir = Path.Combine(Path.GetTempPath(), "porthole-bench-data") });
        builder.Logging.ClearProviders();
        builder.AddPortholeFeatures();
        builder.Services.AddSingleton(new Porthole.Hub.HubOptions { RateLimit = 1_000_000, RateBurst = 1_000_000, SendQueueBytes = 64L * 1024 * 1024 });
        var app = builder.Build();
        app.UsePortholePipeline();
        app.MapPortholeEndpoints();
        await app.StartAsync();
        return app;
    }

    private static async Task ReportMemoryAsync(string label, long baseline)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await Task.Yield();
        Console.WriteLine($"{label}: managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F0} MiB, working set {Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0:F0} MiB (start {baseline / 1024.0 / 1024.0:F0} MiB)");
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>The baseline: a bare Kestrel WebSocket endpoint that writes each event to every socket through a per-socket queue.</summary>
    private sealed class RawBroadcast : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<Channel<byte[]>> _queues = [];

        private RawBroadcast(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public static async Task<RawBroadcast> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var raw = new RawBroadcast(app);
            app.UseWebSockets();
            app.Map("/raw", async (HttpContext context) =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
                lock (raw._queues)
                {
                    raw._queues.Add(queue);
                }

                await socket.SendAsync("{\"ready\":true}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                try
                {
                    await foreach (var frame in queue.Reader.ReadAllAsync(context.RequestAborted))
                    {
                        await socket.SendAsync(frame, WebSocketMessageType.Text, true, context.RequestAborted);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException)
                {
                    // client gone
                }
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            raw.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/raw");
            return raw;
        }

        public void Broadcast(int i)
        {
            var frame = JsonSerializer.SerializeToUtf8Bytes(new { type = "resource_watch", payload = new { type = "ADDED", @object = ConfigMap(i) } });
            lock (_queues)
            {
                foreach (var q in _queues)
                {
                    q.Writer.TryWrite(frame);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
