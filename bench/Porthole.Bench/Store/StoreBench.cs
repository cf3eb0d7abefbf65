using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Porthole.Storage;

namespace Porthole.Bench.Store;

/// <summary>
/// The store on SQLite and on PostgreSQL (bench/store-bench.sh starts a throwaway PostgreSQL):
/// audit write throughput through the AuditLog queue (N entries recorded, then flushed), and
/// the revocation propagation delay from one store handle to another (as replica A to B):
/// from before A's RevokeAsync until B's LISTEN callback, over R sign-outs one after another.
/// </summary>
internal static class StoreBench
{
    public static async Task<int> RunAsync(string? databaseUrl, int entries, int revocations)
    {
        var dir = Directory.CreateTempSubdirectory("porthole-bench-store-").FullName;
        try
        {
            Console.WriteLine($"audit throughput, {entries} entries through the AuditLog (batches of up to 200):");
            Console.WriteLine($"  sqlite      {await AuditThroughputAsync(Path.Combine(dir, "sqlite"), null, entries),10:N0} entries/s");
            if (databaseUrl is null)
            {
                Console.WriteLine("  postgresql  (no --database-url: skipped)");
                return 0;
            }

            Console.WriteLine($"  postgresql  {await AuditThroughputAsync(Path.Combine(dir, "pg"), databaseUrl, entries),10:N0} entries/s");
            var delays = await RevocationDelaysAsync(dir, databaseUrl, revocations);
            Console.WriteLine($"revocation A -> B over LISTEN/NOTIFY, {revocations} sign-outs: median {Percentile(delays, 0.5):0.00} ms, p99 {Percentile(delays, 0.99):0.00} ms, max {delays.Max():0.00} ms");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> AuditThroughputAsync(string dataDir, string? databaseUrl, int entries)
    {
        using var store = PortholeStore.Open(dataDir, databaseUrl, TimeProvider.System);
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var audit = new AuditLog(store, TimeProvider.System, NullLogger<AuditLog>.Instance, services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var stop = new CancellationTokenSource();
        await audit.StartAsync(stop.Token);
        await audit.FlushAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < entries; i++)
        {
            audit.RecordKubernetesCall("bench", "prod", "PATCH", "default", "deployments", $"web-{i % 100}", 200);
        }

        await audit.FlushAsync(CancellationToken.None);
        var rate = entries / clock.Elapsed.TotalSeconds;
        await audit.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
        return rate;
    }

    private static async Task<List<double>> RevocationDelaysAsync(string dir, string databaseUrl, int revocations)
    {
        using var a = PortholeStore.Open(Path.Combine(dir, "a"), databaseUrl, TimeProvider.System);
        using var b = PortholeStore.Open(Path.Combine(dir, "b"), databaseUrl, TimeProvider.System);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<Guid>? heard = null;
        using var stop = new CancellationTokenSource();
        var listener = Task.Run(async () =>
        {
            try
            {
                await b.ListenForRevocationsAsync(_ =>
                {
                    listening.TrySetResult();
                    return Task.CompletedTask;
                }, r => Volatile.Read(ref heard)?.TrySetResult(r.Id), _ => Task.CompletedTask, TimeSpan.FromMinutes(1), stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var delays = new List<double>();
        for (var i = 0; i < revocations; i++)
        {
            var id = Guid.NewGuid();
            var wait = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref heard, wait);
            var started = Stopwatch.GetTimestamp();
            await a.RevokeAsync(id, DateTimeOffset.UtcNow.AddHours(1));
            var got = await wait.Task.WaitAsync(TimeSpan.FromSeconds(30));
            delays.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (got != id)
            {
                throw new InvalidOperationException("heard another revocation than the one made");
            }
        }

        await stop.CancelAsync();
        await listener;
        return delays;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
