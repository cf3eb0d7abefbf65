using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Server;

namespace Porthole.KubeSim.Faults;

/// <summary>
/// The fault admin API under /kubesim/v1/faults, authorized as a non-resource path (only
/// sim-admin may change faults):
/// GET (report), DELETE (clear), POST latency {fixedMs, jitterMs}, errors {fraction, status,
/// retryAfterSeconds}, drop-watches, expire-watches {count}, restart {downMs}.
/// </summary>
internal static class FaultsEndpoint
{
    public static async Task HandleAsync(KubeSimContext sim, SimFaults faults, HttpContext ctx, string path)
    {
        var user = sim.Authenticator.Authenticate(ctx.Request) ?? throw ApiException.Unauthorized();
        user = sim.Impersonate(user, ctx.Request.Headers);
        var info = RequestInfo.Parse(ctx.Request.Method, path, k => ctx.Request.Query[k].FirstOrDefault());
        sim.Authorize(user, info, null);

        var action = path.Length > SimFaults.AdminPath.Length ? path[(SimFaults.AdminPath.Length + 1)..] : "";
        var method = ctx.Request.Method;
        switch (method, action)
        {
            case ("GET", ""):
                break;
            case ("DELETE", ""):
                faults.Clear();
                break;
            case ("POST", "latency"):
                var latency = await BodyAsync(ctx);
                faults.SetLatency(Milliseconds(latency, "fixedMs"), Milliseconds(latency, "jitterMs"));
                break;
            case ("POST", "errors"):
                var errors = await BodyAsync(ctx);
                var fraction = errors.Double("fraction") ?? throw ApiException.BadRequest("fraction is required");
                var status = (int)(errors.Long("status") ?? 503);
                if (fraction is < 0 or > 1 || status is not (429 or 500 or 503))
                {
                    throw ApiException.BadRequest("fraction must be between 0 and 1 and status one of 429, 500, 503");
                }

                faults.SetErrors(fraction, status, (int)(errors.Long("retryAfterSeconds") ?? 1));
                break;
            case ("POST", "drop-watches"):
                faults.DropWatches();
                break;
            case ("POST", "expire-watches"):
                var count = (await BodyAsync(ctx)).Long("count") ?? 1;
                faults.ExpireNextWatches(count < 0 ? throw ApiException.BadRequest("count must not be negative") : (int)Math.Min(count, int.MaxValue));
                break;
            case ("POST", "restart"):
                var down = Milliseconds(await BodyAsync(ctx), "downMs");
                // Answer first: the listener serving this request is the one going away.
                ctx.Response.OnCompleted(() =>
                {
                    _ = Task.Run(() => faults.RestartListenerAsync(down));
                    return Task.CompletedTask;
                });
                await ApiResponses.WriteObjectAsync(ctx, 202, ToJson(faults.Report()));
                return;
            case (_, "" or "latency" or "errors" or "drop-watches" or "expire-watches" or "restart"):
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
            default:
                throw KubeApi.NotFound();
        }

        await ApiResponses.WriteObjectAsync(ctx, 200, ToJson(faults.Report()));
    }

    private static async Task<JsonObject> BodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var text = await reader.ReadToEndAsync(ctx.RequestAborted);
        return text.Trim().Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? throw ApiException.BadRequest("the body must be a JSON object");
    }

    private static TimeSpan Milliseconds(JsonObject body, string field)
    {
        var ms = body.Double(field) ?? 0;
        return ms >= 0 ? TimeSpan.FromMilliseconds(ms) : throw ApiException.BadRequest($"{field} must not be negative");
    }

    private static double? Double(this JsonObject obj, string field) =>
        obj[field] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private static JsonObject ToJson(FaultReport r) => new()
    {
        ["latencyMs"] = r.Settings.Latency.TotalMilliseconds,
        ["jitterMs"] = r.Settings.Jitter.TotalMilliseconds,
        ["errorFraction"] = r.Settings.ErrorFraction,
        ["errorStatus"] = r.Settings.ErrorStatus,
        ["retryAfterSeconds"] = r.Settings.RetryAfterSeconds,
        ["pendingWatchExpiries"] = r.PendingWatchExpiries,
        ["watchesDropped"] = r.WatchesDropped,
        ["watchesExpired"] = r.WatchesExpired,
        ["requestsDelayed"] = r.RequestsDelayed,
        ["requestsFailed"] = r.RequestsFailed,
        ["listenerRestarts"] = r.ListenerRestarts,
        ["listenerDown"] = r.ListenerDown,
    };
}
