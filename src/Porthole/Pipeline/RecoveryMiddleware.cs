namespace Porthole.Pipeline;

/// <summary>
/// Turns an unhandled exception into a 500 problem+json (code <c>internal_error</c> and the
/// request id, never the exception or its stack trace, which go to the log). If the response
/// had already started, the connection is aborted instead so the client sees a failure. The
/// store being unavailable is not a bug: it answers 503 <c>store_unavailable</c> with Retry-After.
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
        catch (Porthole.Storage.StoreUnavailableException e) when (!context.Response.HasStarted)
        {
            LogStoreUnavailable(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.GetRequestId(), e.Message);
            context.Response.Headers.RetryAfter = "5";
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "store_unavailable", "Store unavailable",
                "Porthole's database cannot be reached, so this request (a sign-in, a sign-out, or a change that must be audited or stored) was refused and changed nothing. Reading clusters still works; try again shortly.");
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

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "{Method} {Path} request {RequestId} refused: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string method, string path, string requestId, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path} request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string requestId);
}
