using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Discovery;
using Porthole.KubeSim.OpenApi;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    /// <summary>/version, discovery (/api, /apis, per group and version; aggregated when asked) and OpenAPI documents.</summary>
    private Task NonResourceAsync(HttpContext ctx, RequestInfo info, UserInfo user)
    {
        if (ctx.Request.Method is not "GET" and not "HEAD")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var discovery = _sim.Discovery;
        var openApi = _sim.OpenApi;
        var segments = info.Path.Trim('/').Split('/');
        ServedDocument? doc = segments switch
        {
            ["version"] => DiscoveryDocuments.Version,
            ["api"] or ["apis"] when DiscoveryNegotiation.Negotiate(ctx.Request.Headers.Accept.ToString()) is { } aggregated =>
                discovery.Aggregated(segments[0] == "api", aggregated),
            ["api"] => null,
            ["apis"] => discovery.GroupList(),
            ["api", var v] => discovery.ResourceList("", v),
            ["apis", var g] => discovery.Group(g),
            ["apis", var g, var v] => discovery.ResourceList(g, v),
            ["openapi", "v2"] => OpenApiV2(ctx.Request, openApi),
            ["openapi", "v3"] => openApi.V3Index(),
            ["openapi", "v3", .. var rest] => openApi.V3(string.Join('/', rest)),
            _ => throw NotFound(),
        };

        if (segments is ["api"] && doc is null)
        {
            var host = ctx.Request.Host.HasValue ? ctx.Request.Host.Value! : "127.0.0.1:6443";
            return ApiResponses.WriteObjectAsync(ctx, 200, DiscoveryDocuments.CoreVersions(host));
        }

        return WriteDocumentAsync(ctx, doc ?? throw NotFound(), immutable: segments is ["openapi", "v3", ..] && ctx.Request.Query.ContainsKey("hash"));
    }

    private static async Task WriteDocumentAsync(HttpContext ctx, ServedDocument doc, bool immutable)
    {
        ctx.Response.Headers.ETag = doc.ETag;
        ctx.Response.Headers.Vary = "Accept";
        ctx.Response.Headers.CacheControl = immutable ? "public, immutable" : "no-cache, private";
        if (doc.MatchesIfNoneMatch(ctx.Request.Headers.IfNoneMatch.ToString()))
        {
            ctx.Response.StatusCode = 304;
            return;
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = doc.ContentType;
        ctx.Response.ContentLength = doc.Body.Length;
        if (ctx.Request.Method != "HEAD")
        {
            await ctx.Response.Body.WriteAsync(doc.Body, ctx.RequestAborted);
        }
    }

    /// <summary>
    /// /openapi/v2 in the first of the client's types it serves: the gnostic protobuf (client-go
    /// asks for nothing else) or JSON; anything else is 406, as kube-openapi's handler answers.
    /// </summary>
    private static ServedDocument OpenApiV2(HttpRequest request, OpenApiDocuments openApi)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return openApi.V2();
        }

        foreach (var type in accept.Split(',', StringSplitOptions.TrimEntries).Select(t => t.Split(';')[0].Trim()))
        {
            switch (type.ToLowerInvariant())
            {
                case SwaggerProtobuf.MediaType or SwaggerProtobuf.DeprecatedMediaType:
                    return openApi.V2Protobuf();
                case "application/json" or "application/*" or "*/*":
                    return openApi.V2();
            }
        }

        throw new ApiException(406, "NotAcceptable", "only application/json and application/com.github.proto-openapi.spec.v2.v1.0+protobuf are served for /openapi/v2");
    }
}
