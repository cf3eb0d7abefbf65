using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Server;

internal sealed partial class KubeApi
{
    /// <summary>/version, discovery (/api, /apis, per group and version) and OpenAPI documents.</summary>
    private Task NonResourceAsync(Microsoft.AspNetCore.Http.HttpContext ctx, RequestInfo info, UserInfo user)
    {
        if (ctx.Request.Method is not "GET" and not "HEAD")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var path = info.Path;
        var segments = path.Trim('/').Split('/');
        return segments switch
        {
            ["version"] => ApiResponses.WriteObjectAsync(ctx, 200, _sim.Discovery.Version()),
            ["api"] or ["apis"] => _sim.Discovery.WriteRootAsync(ctx, segments[0] == "api"),
            ["api", var v] => _sim.Discovery.WriteGroupVersionAsync(ctx, "", v),
            ["apis", var g] => _sim.Discovery.WriteGroupAsync(ctx, g),
            ["apis", var g, var v] => _sim.Discovery.WriteGroupVersionAsync(ctx, g, v),
            ["openapi", "v2"] => _sim.OpenApi.WriteV2Async(ctx),
            ["openapi", "v3"] => _sim.OpenApi.WriteV3IndexAsync(ctx),
            ["openapi", "v3", .. var rest] => _sim.OpenApi.WriteV3Async(ctx, string.Join('/', rest)),
            _ => throw NotFound(),
        };
    }
}
