using Porthole.Hosting;
using Porthole.Storage;

namespace Porthole.Terminal;

/// <summary>
/// kubecube-webconsole's shell session API:
/// <c>GET /api/v1/{cluster}/namespace/{namespace}/pod/{pod}/shell/{container}</c> answers
/// <c>{"id":"&lt;32 hex&gt;"}</c>, the id to bind over SockJS; errors are <c>{"message":"..."}</c>
/// with 401, 403 or 404 as kubecube answers (502 when the cluster cannot be reached).
/// </summary>
public static partial class ShellApi
{
    public const string Route = "/{cluster}/namespace/{namespace}/pod/{pod}/shell/{container}";

    public static async Task<IResult> GetShellAsync(
        HttpContext context, string cluster, string @namespace, string pod, string container,
        TerminalClusterAccess clusters, ShellTickets tickets, PortholeOptions options, AuditLog audit, ILoggerFactory logs)
    {
        if (TerminalUser.From(context) is not { } user)
        {
            return Message(401, "not signed in");
        }

        if (clusters.Find(cluster) is not { } found)
        {
            return Message(404, $"cluster {cluster} not found");
        }

        if (await ShellAccess.CheckAsync(found, user, @namespace, pod, container, context.RequestAborted) is { } denied)
        {
            if (denied.Status == StatusCodes.Status403Forbidden)
            {
                audit.Record(new AuditEntry(user.Name, cluster, "exec", "pods/exec", @namespace, pod, "denied")
                {
                    Details = new Dictionary<string, string> { ["container"] = container, ["transport"] = "sockjs" },
                });
            }

            return Message(denied.Status, denied.Message);
        }

        var query = context.Request.Query;
        string? Q(string name) => query.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;
        var (scriptUser, uid, auth) = (Q("user"), Q("uid"), Q("auth"));
        IReadOnlyList<string>? command = scriptUser is null && uid is null && auth is null ? null
            : [options.TerminalScript, "-u", scriptUser ?? "", "-i", uid ?? "", "-a", auth ?? ""];
        var fields = new ShellAuditFields(Q("webuser"), Q("platform"), Q("remote_ip"), Q("user_agent"), scriptUser, uid);
        ShellTicket ticket;
        try
        {
            // Fail closed: the terminal will be audited, and the id must reach every replica.
            audit.EnsureCanRecord("shell session id");
            ticket = await tickets.IssueAsync(user, cluster, @namespace, pod, container, command, fields, context.RequestAborted);
        }
        catch (StoreUnavailableException e)
        {
            LogStoreUnavailable(logs.CreateLogger(typeof(ShellApi)), e.Message);
            context.Response.Headers.RetryAfter = "5";
            return Message(503, "porthole's store is unavailable (terminals are audited); try again shortly");
        }

        LogIssued(logs.CreateLogger(typeof(ShellApi)), user.Name, cluster, @namespace, pod, container, fields.WebUser ?? "-", fields.Platform ?? "-", fields.RemoteIp ?? "-");
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new ShellIdResponse(ticket.Id));
    }

    private static IResult Message(int status, string message) => Results.Json(new ShellMessage(message), statusCode: status);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "Shell session id refused: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information,
        Message = "Shell session id issued to {User} for {Cluster}/{Namespace}/{Pod}/{Container} (webuser {WebUser}, platform {Platform}, remote_ip {RemoteIp})")]
    private static partial void LogIssued(ILogger logger, string user, string cluster, string @namespace, string pod, string container, string webUser, string platform, string remoteIp);
}

/// <summary>The shell API's answer.</summary>
public sealed record ShellIdResponse([property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id);

/// <summary>The shell API's error body, as kubecube writes it.</summary>
public sealed record ShellMessage([property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);
