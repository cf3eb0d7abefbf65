using System.Net;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Api;

/// <summary>
/// A failure that becomes a metav1.Status response, with the reason and wording the real
/// API server uses, so clients (kubectl, KubernetesClient) react the same way.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>A continue token for the Status's metadata (set on 410 Expired list errors).</summary>
    public string? ListContinue { get; init; }

    public JsonObject ToStatus()
    {
        var status = Status(Code, Reason, Message, Details);
        if (ListContinue is not null)
        {
            status["metadata"] = new JsonObject { ["continue"] = ListContinue };
        }

        return status;
    }

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    private static JsonObject Details_(string name, ResourceType? type, string? group = null, string? kind = null)
    {
        var d = new JsonObject { ["name"] = name };
        d["group"] = type?.Group ?? group ?? "";
        d["kind"] = type?.Plural ?? kind ?? "";
        return d;
    }

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", Details_(name, type));

    public static ApiException NotFound(string groupResource, string name) =>
        new(404, "NotFound", $"{groupResource} \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = groupResource });

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details_(name, type));

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {why}", Details_(name, type));

    public static ApiException StaleResourceVersion(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException Forbidden(string message, ResourceType? type = null, string name = "") =>
        new(403, "Forbidden", message, type is null ? null : Details_(name, type));

    public static ApiException Gone(string message) => new(410, "Expired", message);

    /// <summary>422 Invalid with field causes, worded like field.ErrorList.</summary>
    public static ApiException Invalid(ResourceType type, string name, params (string Field, string Type, string Message)[] causes)
    {
        var list = new JsonArray();
        foreach (var (field, reasonType, message) in causes)
        {
            list.Add(new JsonObject { ["reason"] = reasonType, ["message"] = message, ["field"] = field });
        }

        var details = Details_(name, type);
        details["group"] = type.Group;
        details["kind"] = type.Kind;
        details["causes"] = list;
        var summary = string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}"));
        var text = causes.Length == 1 ? summary : $"[{summary}]";
        return new ApiException(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {text}", details);
    }

    public static HttpStatusCode ToHttp(int code) => (HttpStatusCode)code;
}
