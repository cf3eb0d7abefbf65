using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Protobuf;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Server;

/// <summary>Writes API responses: objects, stored bytes and Status errors, as JSON, or YAML or protobuf when the client's Accept prefers them.</summary>
internal static class ApiResponses
{
    public const string Json = "application/json";

    public static bool WantsYaml(HttpRequest request) => ContentNegotiation.Choose(request) == ResponseFormat.Yaml;

    public static bool WantsProtobuf(HttpRequest request) => ContentNegotiation.Choose(request) == ResponseFormat.Protobuf;

    public static Task WriteObjectAsync(HttpContext ctx, int status, JsonNode obj)
    {
        ctx.Response.StatusCode = status;
        switch (ContentNegotiation.Choose(ctx.Request))
        {
            case ResponseFormat.Yaml:
                ctx.Response.ContentType = "application/yaml";
                return ctx.Response.WriteAsync(Serialization.Yaml.FromJson(obj), ctx.RequestAborted);
            case ResponseFormat.Protobuf:
                return WriteJsonOrProtobufAsync(ctx, KubeJson.Bytes(obj));
            default:
                ctx.Response.ContentType = Json;
                return ctx.Response.Body.WriteAsync(KubeJson.Bytes(obj), ctx.RequestAborted).AsTask();
        }
    }

    public static Task WriteStoredAsync(HttpContext ctx, int status, StoredObject obj)
    {
        var format = ContentNegotiation.Choose(ctx.Request);
        if (format == ResponseFormat.Yaml)
        {
            return WriteObjectAsync(ctx, status, obj.Parse());
        }

        ctx.Response.StatusCode = status;
        if (format == ResponseFormat.Protobuf)
        {
            return WriteJsonOrProtobufAsync(ctx, obj.Json);
        }

        ctx.Response.ContentType = Json;
        ctx.Response.ContentLength = obj.Json.Length;
        return ctx.Response.Body.WriteAsync(obj.Json, ctx.RequestAborted).AsTask();
    }

    /// <summary>Protobuf when the object's kind has a message; JSON otherwise (custom resources, Tables), as the API server falls back.</summary>
    private static async Task WriteJsonOrProtobufAsync(HttpContext ctx, byte[] json)
    {
        using var w = new ProtoWriter(json.Length);
        if (!KubeProtobuf.TryEncode(json, w))
        {
            ctx.Response.ContentType = Json;
            ctx.Response.ContentLength = json.Length;
            await ctx.Response.Body.WriteAsync(json, ctx.RequestAborted);
            return;
        }

        ctx.Response.ContentType = KubeProtobuf.MediaType;
        ctx.Response.ContentLength = w.Length;
        await ctx.Response.Body.WriteAsync(w.WrittenMemory, ctx.RequestAborted);
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
