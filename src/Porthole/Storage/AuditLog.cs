using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Porthole.Diagnostics;

namespace Porthole.Storage;

/// <summary>
/// What other features call to record mutations and terminal sessions. <see cref="Record"/>
/// never blocks or throws: entries are queued and written by a background loop in batches (a
/// request never waits on the database). While the store is unavailable the batch is retried
/// (250 ms, doubling to 5 s) until it is stored, in order: nothing recorded is lost while the
/// process runs. The queue holds at most <see cref="DefaultCapacity"/> entries; past that an entry is
/// dropped, logged in full (event 1304) and counted, and <see cref="EnsureCanRecord"/> refuses
/// the mutations that would need it. Counted in /metrics: porthole_audit_queued,
/// porthole_audit_flushed_total, porthole_audit_dropped_total, porthole_audit_write_failures_total.
/// </summary>
public sealed partial class AuditLog : BackgroundService
{
    /// <summary>Entries waiting for the store, at most (unless a test gives another bound).</summary>
    public const int DefaultCapacity = 10_000;

    private const int BatchSize = 200;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PortholeStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;
    private readonly Counter<long> _flushed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _failures;
    private long _pending;

    public AuditLog(PortholeStore store, TimeProvider time, ILogger<AuditLog> logger, IMeterFactory meters, int capacity = DefaultCapacity)
    {
        Capacity = capacity;
        _store = store;
        _time = time;
        _logger = logger;
        var meter = meters.Create(PortholeMetrics.MeterName);
        meter.CreateObservableGauge("porthole_audit_queued", () => Interlocked.Read(ref _pending), description: "Audit entries waiting to be stored");
        _flushed = meter.CreateCounter<long>("porthole_audit_flushed_total", description: "Audit entries stored");
        _dropped = meter.CreateCounter<long>("porthole_audit_dropped_total", description: "Audit entries lost: the queue was full, or the process stopped while the store was down (each is logged, event 1304)");
        _failures = meter.CreateCounter<long>("porthole_audit_write_failures_total", description: "Failed attempts to store a batch of audit entries (retried)");
        meter.CreateObservableGauge("porthole_store_up", () => new Measurement<long>(store.Health.Available ? 1 : 0, new KeyValuePair<string, object?>("provider", store.Provider)),
            description: "1 while the store (SQLite or PostgreSQL) answers, 0 while it is unavailable");
    }

    /// <summary>The bound of the queue.</summary>
    public int Capacity { get; }

    /// <summary>Entries recorded but not stored yet.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public void Record(AuditEntry entry)
    {
        var stamped = entry.Time == default ? entry with { Time = _time.GetUtcNow() } : entry;
        if (Interlocked.Increment(ref _pending) > Capacity)
        {
            Interlocked.Decrement(ref _pending);
            Drop(stamped, "the audit queue is full");
            return;
        }

        if (!_queue.Writer.TryWrite(stamped))
        {
            Interlocked.Decrement(ref _pending);
            WriteLate(stamped); // stopping: the loop is gone, write in place
        }
    }

    /// <summary>
    /// Throws <see cref="StoreUnavailableException"/> when an action that must be audited should
    /// not happen now: the store is down or the queue is full (fail closed).
    /// </summary>
    public void EnsureCanRecord(string what)
    {
        _store.Health.ThrowIfDown(what);
        if (Pending >= Capacity)
        {
            throw new StoreUnavailableException($"{what}: {Capacity} audit entries are waiting for the store; try again shortly");
        }
    }

    /// <summary>Completes once every entry recorded before the call is in the store.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite(done) ? done.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
    }

    /// <summary>
    /// Records a mutating Kubernetes call made for <paramref name="user"/> (POST create, PUT
    /// update, PATCH patch, DELETE delete or deletecollection) with its outcome: <c>success</c>
    /// for 2xx, <c>denied</c> for 401/403, else <c>error NNN</c>. Other methods are not audited.
    /// </summary>
    public void RecordKubernetesCall(string user, string cluster, string method, string? ns, string resource, string? name, int status)
    {
        if (VerbOf(method, name) is not { } verb)
        {
            return;
        }

        var result = status switch
        {
            >= 200 and < 300 => "success",
            401 or 403 => "denied",
            _ => $"error {status}",
        };
        Record(new AuditEntry(user, cluster, verb, resource, ns, name, result));
    }

    /// <summary>The audit verb of an HTTP method, or null when it is not audited (a read).</summary>
    public static string? VerbOf(string method, string? name) => method.ToUpperInvariant() switch
    {
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => name is null ? "deletecollection" : "delete",
        _ => null,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<object>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await StoreAsync(batch, retry: true, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping: drain below.
        }

        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        // One last attempt, not retried: the host is stopping.
        await StoreAsync(batch, retry: false, CancellationToken.None);
    }

    /// <summary>Stores the entries of <paramref name="batch"/> in order and completes its flush markers after the entries before them.</summary>
    private async Task StoreAsync(List<object> batch, bool retry, CancellationToken ct)
    {
        var entries = new List<AuditEntry>();
        foreach (var item in batch)
        {
            switch (item)
            {
                case AuditEntry entry:
                    entries.Add(entry);
                    break;
                case TaskCompletionSource flushed:
                    await WriteAsync(entries, retry, ct);
                    entries.Clear();
                    flushed.TrySetResult();
                    break;
                default:
                    break;
            }
        }

        await WriteAsync(entries, retry, ct);
    }

    private async Task WriteAsync(List<AuditEntry> entries, bool retry, CancellationToken ct)
    {
        var delay = FirstRetry;
        var attempt = 0;
        while (entries.Count > 0)
        {
            try
            {
                // Not cancelled by the stop (bounded by the command timeout): a batch is stored whole or retried.
                await _store.RecordAuditBatchAsync(entries, CancellationToken.None);
                Stored(entries.Count);
                if (attempt > 0)
                {
                    LogRecovered(_logger, entries.Count, attempt);
                }

                return;
            }
            catch (Exception e) when (e is StoreUnavailableException or ObjectDisposedException)
            {
                _failures.Add(1);
                if (attempt++ == 0)
                {
                    LogRetrying(_logger, entries.Count, e.Message);
                }

                if (!retry || e is ObjectDisposedException)
                {
                    break;
                }

                try
                {
                    await Task.Delay(delay, _time, ct);
                }
                catch (OperationCanceledException)
                {
                    retry = false; // stopping: one last try
                    ct = CancellationToken.None;
                    continue;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                // The database refused these rows (not unavailability): retrying cannot help.
                _failures.Add(1);
                LogRejected(_logger, e, entries.Count);
                break;
            }
        }

        foreach (var entry in entries)
        {
            Interlocked.Decrement(ref _pending);
            Drop(entry, "the store did not take it");
        }
    }

    private void Stored(int count)
    {
        Interlocked.Add(ref _pending, -count);
        _flushed.Add(count);
    }

    private void WriteLate(AuditEntry entry)
    {
        try
        {
            _store.RecordAuditAsync(entry, entry.Time).GetAwaiter().GetResult();
            _flushed.Add(1);
        }
        catch (Exception e) when (e is StoreUnavailableException or ObjectDisposedException or System.Data.Common.DbException)
        {
            Drop(entry, e.Message);
        }
    }

    private void Drop(AuditEntry entry, string reason)
    {
        _dropped.Add(1);
        LogDropped(_logger, reason, entry.Time, entry.User, entry.Cluster, entry.Verb, entry.Resource, entry.Namespace, entry.Name, entry.Result,
            entry.Details is null ? "" : System.Text.Json.JsonSerializer.Serialize(entry.Details));
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Could not store {Count} audit entries, retrying until the store answers: {Reason}")]
    private static partial void LogRetrying(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Stored {Count} queued audit entries after {Attempts} failed attempts")]
    private static partial void LogRecovered(ILogger logger, int count, int attempts);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Error, Message = "The store refused {Count} audit entries")]
    private static partial void LogRejected(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error,
        Message = "Audit entry dropped ({Reason}): {Time} {User} {Cluster} {Verb} {Resource} {Namespace} {Name} {Result} {Details}")]
    private static partial void LogDropped(ILogger logger, string reason, DateTimeOffset time, string user, string cluster, string verb, string resource, string? @namespace, string? name, string result, string details);
}
