using System.Threading.Channels;

namespace Porthole.Storage;

/// <summary>
/// What other features call to record mutations and terminal sessions. <see cref="Record"/>
/// never blocks or throws: entries are queued and written to SQLite by a background loop (a
/// request never waits on the disk; a store failure is logged, as the action already
/// happened). <see cref="FlushAsync"/> waits until everything recorded so far is stored; the
/// loop drains the queue when the host stops, before the store closes.
/// </summary>
public sealed partial class AuditLog(PortholeStore store, TimeProvider time, ILogger<AuditLog> logger) : BackgroundService
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public void Record(AuditEntry entry)
    {
        var stamped = entry.Time == default ? entry with { Time = time.GetUtcNow() } : entry;
        if (!_queue.Writer.TryWrite(stamped))
        {
            Write(stamped); // stopping: the loop is gone, write in place
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
        var verb = method.ToUpperInvariant() switch
        {
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => null,
        };
        if (verb is null)
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                Handle(item);
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping: drain below.
        }

        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item))
        {
            Handle(item);
        }
    }

    private void Handle(object item)
    {
        switch (item)
        {
            case AuditEntry entry:
                Write(entry);
                break;
            case TaskCompletionSource flushed:
                flushed.TrySetResult();
                break;
            default:
                break;
        }
    }

    private void Write(AuditEntry entry)
    {
        try
        {
            store.RecordAudit(entry, entry.Time);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or ObjectDisposedException)
        {
            LogAuditFailed(logger, e, entry.User, entry.Verb, entry.Resource, entry.Name);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Could not record audit entry: {User} {Verb} {Resource} {Name}")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string user, string verb, string resource, string? name);
}
