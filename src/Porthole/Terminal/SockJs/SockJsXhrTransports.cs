using System.Text;

namespace Porthole.Terminal.SockJs;

/// <summary>
/// The HTTP transports: <c>xhr</c> (one frame per POST, long-polling), <c>xhr_streaming</c>
/// (a 2 KiB <c>h</c> prelude, then frames until <see cref="SockJsOptions.ResponseLimit"/> bytes)
/// and <c>xhr_send</c> (client messages as a JSON array, answered 204).
/// </summary>
internal static class SockJsXhrTransports
{
    private static readonly string Prelude = new string('h', 2048) + "\n";

    public static async Task ReceiveAsync(HttpContext context, SockJsSession session, bool streaming, SockJsOptions options, TimeProvider time)
    {
        SockJsHttp.Cors(context);
        SockJsHttp.NoCache(context);
        context.Response.ContentType = SockJsHttp.JavaScript;
        var receiver = new object();
        if (!session.TryAttach(receiver))
        {
            await context.Response.WriteAsync(SockJsFrames.Close(2010, "Another connection still open") + "\n", context.RequestAborted);
            return;
        }

        try
        {
            if (streaming)
            {
                await WriteAsync(context, Prelude);
            }

            if (session.TryOpen())
            {
                await WriteAsync(context, SockJsFrames.Open + "\n");
                if (!streaming)
                {
                    return;
                }
            }

            var sent = 0;
            while (true)
            {
                var next = await session.NextAsync(options.HeartbeatInterval, time, context.RequestAborted);
                var frame = next.ToFrame() + "\n";
                await WriteAsync(context, frame);
                sent += Encoding.UTF8.GetByteCount(frame);
                if (!streaming || next.Close is not null || sent >= options.ResponseLimit)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the session waits for its next receiving request.
        }
        finally
        {
            session.Detach(receiver);
        }
    }

    private static async Task WriteAsync(HttpContext context, string text)
    {
        await context.Response.WriteAsync(text, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static async Task SendAsync(HttpContext context, SockJsSession session)
    {
        SockJsHttp.Cors(context);
        SockJsHttp.NoCache(context);
        string payload;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            payload = await reader.ReadToEndAsync(context.RequestAborted);
        }

        if (payload.Length == 0)
        {
            await SockJsHttp.WriteAsync(context, StatusCodes.Status500InternalServerError, SockJsHttp.PlainText, "Payload expected.");
            return;
        }

        if (!SockJsFrames.TryDecode(payload, out var messages))
        {
            await SockJsHttp.WriteAsync(context, StatusCodes.Status500InternalServerError, SockJsHttp.PlainText, "Broken JSON encoding.");
            return;
        }

        await session.DeliverAsync(messages, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentType = SockJsHttp.PlainText;
    }
}
