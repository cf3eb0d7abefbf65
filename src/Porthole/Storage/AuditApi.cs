using System.Globalization;
using Porthole.Hosting;
using Porthole.Pipeline;
using Porthole.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// GET /api/v1/audit: the audit log, newest first, for members of PORTHOLE_ADMIN_GROUP.
/// Filters: user, cluster, verb, resource, namespace, result, since, until (RFC 3339); paging:
/// limit (1–1000, default 100) and continue (from the previous page).
/// </summary>
public static class AuditApi
{
    /// <summary>One page of GET /api/v1/audit.</summary>
    public sealed record AuditResponse(IReadOnlyList<AuditEntry> Items, string? Continue);

    public static IEndpointRouteBuilder MapPortholeAudit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortholeApiGroup().MapGet("/audit", QueryAsync).WithName("Audit").WithSummary("The audit log (admin group only), filterable and paged");
        return endpoints;
    }

    private static async Task<IResult> QueryAsync(HttpContext context, PortholeStore store, PortholeOptions options, AuditLog audit)
    {
        var user = context.GetPortholeUser()!;
        if (!user.Groups.Contains(options.AdminGroup))
        {
            return new ProblemResult(StatusCodes.Status403Forbidden, "forbidden", "Audit log is for admins",
                $"Only members of the group '{options.AdminGroup}' (PORTHOLE_ADMIN_GROUP) may read the audit log.");
        }

        var q = context.Request.Query;
        string? Text(string name) => q[name].ToString() is { Length: > 0 } v ? v : null;
        var errors = new List<string>();
        DateTimeOffset? Time(string name)
        {
            if (Text(name) is not { } v)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                return t;
            }

            errors.Add($"{name} must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
            return null;
        }

        var limit = 100;
        if (Text("limit") is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            errors.Add("limit must be a whole number from 1 to 1000");
        }

        long? before = null;
        if (Text("continue") is { } c)
        {
            before = long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            if (before is null)
            {
                errors.Add("continue must be the value of a previous page's continue");
            }
        }

        var query = new AuditQuery
        {
            User = Text("user"),
            Cluster = Text("cluster"),
            Verb = Text("verb"),
            Resource = Text("resource"),
            Namespace = Text("namespace"),
            Result = Text("result"),
            Since = Time("since"),
            Until = Time("until"),
            Before = before,
            Limit = limit,
        };
        if (errors.Count > 0)
        {
            return new ProblemResult(StatusCodes.Status400BadRequest, "bad_request", "Invalid audit query", string.Join("; ", errors));
        }

        store.Health.ThrowIfDown("audit query");
        using (var flush = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            // What this server recorded so far is visible (unless the store stalls: then the page is as far as it got).
            flush.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await audit.FlushAsync(flush.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
            }
        }

        var page = await store.QueryAuditAsync(query, context.RequestAborted);
        return Results.Ok(new AuditResponse(page.Items, page.Continue?.ToString(CultureInfo.InvariantCulture)));
    }
}
