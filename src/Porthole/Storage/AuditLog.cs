namespace Porthole.Storage;

/// <summary>
/// What other features call to record mutations and terminal sessions. Never throws: a store
/// failure is logged (the action already happened and must not be reported as failed).
/// </summary>
public sealed partial class AuditLog(PortholeStore store, TimeProvider time, ILogger<AuditLog> logger)
{
    public void Record(AuditEntry entry)
    {
        try
        {
            store.RecordAudit(entry, time.GetUtcNow());
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or ObjectDisposedException)
        {
            LogAuditFailed(logger, e, entry.User, entry.Verb, entry.Resource, entry.Name);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Could not record audit entry: {User} {Verb} {Resource} {Name}")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string user, string verb, string resource, string? name);
}
