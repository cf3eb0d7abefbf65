using System.Globalization;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Server;

namespace Porthole.KubeSim.Faults;

public sealed partial class SimFaults
{
    /// <summary>Where the admin API lives; never delayed or failed by the faults it controls.</summary>
    public const string AdminPath = "/kubesim/v1/faults";

    /// <summary>
    /// Runs before every request but health checks: counts the response status, serves the admin
    /// API, delays, fails or expires the request as configured. True when the request was answered here.
    /// </summary>
    internal async Task<bool> InterceptAsync(KubeSimContext sim, HttpContext ctx, string path)
    {
        var counters = sim.Counters;
        ctx.Response.OnCompleted(() =>
        {
            counters.Responded(ctx.Response.StatusCode);
            return Task.CompletedTask;
        });

        if (path == AdminPath || path.StartsWith(AdminPath + "/", StringComparison.Ordinal))
        {
            await FaultsEndpoint.HandleAsync(sim, this, ctx, path);
            return true;
        }

        var settings = Settings;
        if (settings.Latency > TimeSpan.Zero || settings.Jitter > TimeSpan.Zero)
        {
            Delayed();
            var delay = settings.Latency + (settings.Jitter * Random.Shared.NextDouble());
            await Task.Delay(delay, _time, ctx.RequestAborted);
        }

        if (settings.ErrorFraction > 0 && Random.Shared.NextDouble() < settings.ErrorFraction)
        {
            Failed();
            if (settings.ErrorStatus == 429)
            {
                ctx.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            await ApiResponses.WriteStatusAsync(ctx, InjectedError(settings));
            return true;
        }

        var info = RequestInfo.Parse(ctx.Request.Method, path, k => ctx.Request.Query[k].FirstOrDefault());
        if (info.Verb == "watch" && TakeWatchExpiry())
        {
            _ = sim.Authenticator.Authenticate(ctx.Request) ?? throw ApiException.Unauthorized();
            await WriteExpiredWatchAsync(ctx);
            return true;
        }

        return false;
    }

    /// <summary>The Status the API server sends for each injectable failure (APF's 429, an internal error, an unavailable server).</summary>
    private static ApiException InjectedError(FaultSettings settings) => settings.ErrorStatus switch
    {
        429 => new ApiException(429, "TooManyRequests", "Too many requests, please try again later.", new System.Text.Json.Nodes.JsonObject { ["retryAfterSeconds"] = settings.RetryAfterSeconds }),
        500 => new ApiException(500, "InternalError", "Internal error occurred: injected fault", new System.Text.Json.Nodes.JsonObject
        {
            ["causes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["message"] = "injected fault" }),
        }),
        _ => new ApiException(503, "ServiceUnavailable", "The server is currently unable to handle the request"),
    };

    /// <summary>What a watch from a compacted resourceVersion gets: 200 and one ERROR event carrying 410 Expired.</summary>
    private async Task WriteExpiredWatchAsync(HttpContext ctx)
    {
        var requested = ctx.Request.Query["resourceVersion"].FirstOrDefault() is { Length: > 0 } rv ? rv : "0";
        var current = _store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var status = ApiException.Gone($"too old resource version: {requested} ({current})").ToStatus();
        var e = new System.Text.Json.Nodes.JsonObject { ["type"] = "ERROR", ["object"] = status };
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = ApiResponses.Json;
        ctx.Response.Headers.CacheControl = "no-cache, private";
        await ctx.Response.Body.WriteAsync(KubeJson.Bytes(e), ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ctx.RequestAborted);
    }
}
