using Porthole.Hosting;

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
        TerminalClusterAccess clusters, ShellTickets tickets, PortholeOptions options, ILoggerFactory logs)
    {
        if (TerminalUser.From(context) is not { } user)
        {
            return Message(401, "not signed in");
        }

        using var client = clusters.CreateClient(cluster);
        if (client is null)
        {
            return Message(404, $"cluster {cluster} not found");
        }

        if (await ShellAccess.CheckAsync(client, user, @namespace, pod, container, context.RequestAborted) is { } denied)
        {
            return Message(denied.Status, denied.Message);
        }

        var query = context.Request.Query;
        string? Q(string name) => query.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;
        var (scriptUser, uid, auth) = (Q("user"), Q("uid"), Q("auth"));
        IReadOnlyList<string>? command = scriptUser is null && uid is null && auth is null ? null
            : [options.TerminalScript, "-u", scriptUser ?? "", "-i", uid ?? "", "-a", auth ?? ""];
        var audit = new ShellAuditFields(Q("webuser"), Q("platform"), Q("remote_ip"), Q("user_agent"), scriptUser, uid);
        var ticket = tickets.Issue(user, cluster, @namespace, pod, container, command, audit);
        LogIssued(logs.CreateLogger(typeof(ShellApi)), user.Name, cluster, @namespace, pod, container, audit.WebUser ?? "-", audit.Platform ?? "-", audit.RemoteIp ?? "-");
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new ShellIdResponse(ticket.Id));
    }

    private static IResult Message(int status, string message) => Results.Json(new ShellMessage(message), statusCode: status);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information,
        Message = "Shell session id issued to {User} for {Cluster}/{Namespace}/{Pod}/{Container} (webuser {WebUser}, platform {Platform}, remote_ip {RemoteIp})")]
    private static partial void LogIssued(ILogger logger, string user, string cluster, string @namespace, string pod, string container, string webUser, string platform, string remoteIp);
}

/// <summary>The shell API's answer.</summary>
public sealed record ShellIdResponse([property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id);

/// <summary>The shell API's error body, as kubecube writes it.</summary>
public sealed record ShellMessage([property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);
