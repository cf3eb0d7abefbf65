namespace Porthole.Storage;

/// <summary>
/// One audited action: a mutation of a cluster object (verb create, update, patch, delete…) or a
/// terminal session (verb exec). <see cref="Result"/> is short and machine-readable:
/// <c>success</c>, <c>denied</c>, <c>error 409</c>, <c>exit 0</c>.
/// </summary>
public sealed record AuditEntry(
    string User,
    string Cluster,
    string Verb,
    string Resource,
    string? Namespace,
    string? Name,
    string Result)
{
    /// <summary>Assigned by the store.</summary>
    public long Id { get; init; }

    /// <summary>When it happened; the store fills it from its clock when left default.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>Optional context, e.g. a terminal's command and kubecube's webuser/platform/remote_ip/user_agent.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}

/// <summary>Filters and paging of <see cref="PortholeStore.QueryAudit"/>; every filter is optional.</summary>
public sealed record AuditQuery
{
    public string? User { get; init; }

    public string? Cluster { get; init; }

    public string? Verb { get; init; }

    public string? Resource { get; init; }

    public string? Namespace { get; init; }

    public string? Result { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>Return entries older than this id (the previous page's <c>continue</c>).</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>One page of audit entries, newest first; <see cref="Continue"/> fetches the next.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? Continue);
