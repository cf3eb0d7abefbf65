using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Porthole.Storage;

namespace Porthole.Tests.Storage.Postgres;

/// <summary>The audit queue while PostgreSQL is stopped: bounded, fail-closed, and stored in order once it is back.</summary>
public sealed class AuditLogOutageTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Record_StoreDownPastCapacity_ExtraDroppedRestStoredInOrderWhenBack()
    {
        using var dir = new TempDir();
        using var store = PortholeStore.Open(dir.Path, await server.CreateDatabaseAsync(), TimeProvider.System);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var audit = new AuditLog(store, TimeProvider.System, NullLogger<AuditLog>.Instance, services.GetRequiredService<IMeterFactory>(), capacity: 5);
        using var dropped = new MetricCollector("porthole_audit_dropped_total", services.GetRequiredService<IMeterFactory>());
        await audit.StartAsync(CancellationToken.None);
        audit.EnsureCanRecord("test");

        await server.StopAsync();
        try
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PingAsync("test"));
            for (var i = 0; i < 8; i++)
            {
                audit.Record(new AuditEntry("alice", "prod", "patch", "deployments", "a", $"d-{i}", "success"));
            }

            Assert.Equal(5, audit.Pending);
            Assert.Equal(3, dropped.Total);
            Assert.Throws<StoreUnavailableException>(() => audit.EnsureCanRecord("test"));
        }
        finally
        {
            await server.StartAsync();
        }

        await audit.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, audit.Pending);
        audit.EnsureCanRecord("test");
        var stored = await store.QueryAuditAsync(new AuditQuery());
        Assert.Equal(["d-4", "d-3", "d-2", "d-1", "d-0"], stored.Items.Select(e => e.Name));
        await audit.StopAsync(CancellationToken.None);
    }

    /// <summary>Sums one counter of the "Porthole" meter of one meter factory.</summary>
    private sealed class MetricCollector : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public MetricCollector(string name, IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
