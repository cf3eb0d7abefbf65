using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Server;

/// <summary>Writes API responses: objects, stored bytes and Status errors, as JSON (or YAML when asked).</summary>
internal static class ApiResponses
{
    public const string Json = "application/json";

    public static bool WantsYaml(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.StartsWith("application/yaml", StringComparison.OrdinalIgnoreCase);
    }

    public static Task WriteObjectAsync(HttpContext ctx, int status, JsonNode obj)
    {
        ctx.Response.StatusCode = status;
        if (WantsYaml(ctx.Request))
        {
            ctx.Response.ContentType = "application/yaml";
            return ctx.Response.WriteAsync(Serialization.Yaml.FromJson(obj), ctx.RequestAborted);
        }

        ctx.Response.ContentType = Json;
        return ctx.Response.Body.WriteAsync(KubeJson.Bytes(obj), ctx.RequestAborted).AsTask();
    }

    public static Task WriteStoredAsync(HttpContext ctx, int status, StoredObject obj)
    {
        if (WantsYaml(ctx.Request))
        {
            return WriteObjectAsync(ctx, status, obj.Parse());
        }

        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = Json;
        ctx.Response.ContentLength = obj.Json.Length;
        return ctx.Response.Body.WriteAsync(obj.Json, ctx.RequestAborted).AsTask();
    }

    public static async Task WriteStatusAsync(HttpContext ctx, ApiException e)
    {
        if (ctx.Response.HasStarted)
        {
            return;
        }

        ctx.Response.Headers.Remove("Content-Length");
        await WriteObjectAsync(ctx, e.Code, e.ToStatus());
    }

    public static JsonObject Success(string? name = null, ResourceType? type = null, string? uid = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (name is not null && type is not null)
        {
            status["details"] = new JsonObject
            {
                ["name"] = name,
                ["group"] = type.Group,
                ["kind"] = type.Plural,
                ["uid"] = uid,
            };
        }

        return status;
    }
}
