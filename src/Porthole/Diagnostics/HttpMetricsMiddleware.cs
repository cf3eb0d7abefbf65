namespace Porthole.Diagnostics;

/// <summary>
/// Records porthole_http_requests_total and porthole_http_request_duration_seconds. The route
/// label is the matched endpoint's route pattern (never the raw path, which would make one
/// series per object name); "spa" for the web app's fallback (index.html for deep links), and
/// "unmatched" for a 404 of a path nothing serves.
/// </summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, PortholeMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = time.GetTimestamp();
        var status = 500;
        metrics.RequestStarted();
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            metrics.RequestEnded();
            var endpoint = context.GetEndpoint() as RouteEndpoint;
            var route = endpoint?.Metadata.GetMetadata<Porthole.Web.SpaFallbackMetadata>() is not null
                ? (status == StatusCodes.Status404NotFound ? "unmatched" : "spa")
                : endpoint?.RoutePattern.RawText ?? "unmatched";
            metrics.Requests.Add(1, new("route", route), new("method", context.Request.Method), new("status", status));
            metrics.RequestDuration.Record(time.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("route", route));
        }
    }
}
