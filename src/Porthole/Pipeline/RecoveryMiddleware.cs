namespace Porthole.Pipeline;

/// <summary>
/// Turns an unhandled exception into a 500 problem+json (code <c>internal_error</c> and the
/// request id, never the exception or its stack trace, which go to the log). If the response
/// had already started, the connection is aborted instead so the client sees a failure.
/// </summary>
internal sealed partial class RecoveryMiddleware(RequestDelegate next, ILogger<RecoveryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception e)
        {
            LogUnhandled(logger, e, context.Request.Method, context.Request.Path.Value ?? "/", context.GetRequestId());
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            context.Response.Headers.ContentLength = null;
            context.Response.Headers.ContentEncoding = default;
            context.Response.Headers.ETag = default;
            await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal_error",
                "Internal server error", "The server failed to handle this request; quote the request id when reporting it.");
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path} request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string requestId);
}
