namespace Porthole.Pipeline;

/// <summary>
/// Logs one line per request when it ends: method, path (never the query string, which may
/// carry tokens), status, duration, request id and user. Headers are never logged.
/// </summary>
internal sealed partial class RequestLoggerMiddleware(RequestDelegate next, TimeProvider time, ILogger<RequestLoggerMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = time.GetTimestamp();
        var status = 500;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var elapsed = time.GetElapsedTime(start);
            var user = context.GetPortholeUser()?.Name ?? "-";
            LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/", status,
                Math.Round(elapsed.TotalMilliseconds, 3), context.GetRequestId(), user);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "{Method} {Path} {Status} {DurationMs} ms request {RequestId} user {User}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double durationMs, string requestId, string user);
}
