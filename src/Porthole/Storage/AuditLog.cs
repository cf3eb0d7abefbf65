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

    /// <summary>
    /// Records a mutating Kubernetes call made for <paramref name="user"/> (POST create, PUT
    /// update, PATCH patch, DELETE delete or deletecollection) with its outcome: <c>success</c>
    /// for 2xx, <c>denied</c> for 401/403, else <c>error NNN</c>. GETs are not audited.
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

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Could not record audit entry: {User} {Verb} {Resource} {Name}")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string user, string verb, string resource, string? name);
}
