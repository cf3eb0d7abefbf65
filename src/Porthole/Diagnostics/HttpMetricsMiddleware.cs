namespace Porthole.Diagnostics;

/// <summary>
/// Records porthole_http_requests_total and porthole_http_request_duration_seconds. The route
/// label is the matched endpoint's route pattern (never the raw path, which would make one
/// series per object name), or "unmatched" when no endpoint matched or only the catch-all
/// fallback (the web app's, which matches every path) answered 404.
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
            var route = context.GetEndpoint() switch
            {
                RouteEndpoint { Order: int.MaxValue } when status == StatusCodes.Status404NotFound => "unmatched",
                RouteEndpoint endpoint => endpoint.RoutePattern.RawText ?? "unmatched",
                _ => "unmatched",
            };
            metrics.Requests.Add(1, new("route", route), new("method", context.Request.Method), new("status", status));
            metrics.RequestDuration.Record(time.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("route", route));
        }
    }
}
