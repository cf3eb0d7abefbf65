using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Logs;

/// <summary>
/// Serves GET pods/{name}/log: validates the options and container like the API server and
/// kubelet (throwing <see cref="ApiException"/> before anything is written), then streams the
/// container's lines as text/plain (what a finite command prints, <see cref="ScriptOutput"/>,
/// else generated lines); with follow=true it keeps writing each line when it is due until the
/// client leaves, the pod goes away or the container stops.
/// </summary>
public static partial class LogEndpoint
{
    private const int ChunkChars = 32 * 1024;

    /// <summary>The generator used when none is passed: one line a second.</summary>
    public static LogGenerator DefaultGenerator { get; } = new();

    public static async Task HandleAsync(HttpContext ctx, JsonObject pod, ObjectStore store, ResourceType podsType, LogGenerator? generator = null)
    {
        generator ??= DefaultGenerator;
        var query = LogQuery.Parse(ctx.Request.Query, pod.Name());
        var container = ResolveContainer(pod, query.Container);
        var response = ctx.Response;
        var cancel = ctx.RequestAborted;
        if ((pod.Str("spec", "nodeName") ?? "").Length == 0)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/plain";
            return;
        }

        var (source, end) = ResolveInstance(pod, container, query.Previous);
        ILogLines lines = ScriptOutput.Of(pod, container, source.Start) is { } script
            ? new ScriptLines(source.Start, script)
            : new GeneratedLines(generator, source);
        var time = store.Time;
        var now = time.GetUtcNow();
        var first = 1L;
        if (query.SinceSeconds is { } seconds)
        {
            first = lines.FirstAtOrAfter(now - TimeSpan.FromSeconds(seconds));
        }
        else if (query.SinceTime is { } since)
        {
            first = lines.FirstAtOrAfter(since);
        }

        var last = lines.CountAt(end is { } e && e < now ? e : now);
        if (query.TailLines is { } tail)
        {
            first = Math.Max(first, last - tail + 1);
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain";
        var writer = new LineWriter(response.Body, lines, source, query.Timestamps, query.LimitBytes);
        try
        {
            if (query.Follow)
            {
                await response.StartAsync(cancel);
            }

            await writer.WriteRangeAsync(first, last, cancel);
            await writer.FlushAsync(cancel);
            if (query.Follow && end is null && !writer.Exhausted)
            {
                await FollowAsync(writer, pod, store, podsType, time, Math.Max(first, last + 1), cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // the client went away
        }
        catch (IOException) when (cancel.IsCancellationRequested)
        {
            // the connection broke under a write
        }
    }

    /// <summary>How often a follow looks for the end of a container that writes nothing more.</summary>
    private static readonly TimeSpan StopPoll = TimeSpan.FromMilliseconds(250);

    private static async Task FollowAsync(LineWriter writer, JsonObject pod, ObjectStore store, ResourceType podsType, TimeProvider time, long next, CancellationToken cancel)
    {
        var (ns, name, uid) = (pod.Namespace(), pod.Name(), pod.Uid());
        var source = writer.Source;
        var lines = writer.Lines;
        while (!cancel.IsCancellationRequested)
        {
            // A container with no further line (a finite command) is polled until it stops.
            var due = lines.TimeOf(next);
            var wait = due is { } at ? at - time.GetUtcNow() : StopPoll;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancel);
            }

            var stored = store.Get(podsType, ns, name);
            if (stored is null || stored.Uid != uid)
            {
                return;
            }

            var stoppedAt = StoppedAt(stored.Parse(), source);
            if (stoppedAt is { } stop)
            {
                await writer.WriteRangeAsync(next, lines.CountAt(stop), cancel);
                await writer.FlushAsync(cancel);
                return;
            }

            if (due is null)
            {
                continue;
            }

            await writer.WriteRangeAsync(next, next, cancel);
            await writer.FlushAsync(cancel);
            if (writer.Exhausted)
            {
                return;
            }

            next++;
        }
    }

    /// <summary>When the followed container instance stopped, or null while it still runs.</summary>
    private static DateTimeOffset? StoppedAt(JsonObject pod, LogSource source)
    {
        var status = FindStatus(pod, source.Container);
        var running = status.Obj("state", "running");
        if (running is not null && SimFormat.ParseTime(running.Str("startedAt")) == source.Start)
        {
            return null;
        }

        foreach (var terminated in new[] { status.Obj("state", "terminated"), status.Obj("lastState", "terminated") })
        {
            if (terminated is not null && SimFormat.ParseTime(terminated.Str("startedAt")) == source.Start)
            {
                return SimFormat.ParseTime(terminated.Str("finishedAt")) ?? source.Start;
            }
        }

        return source.Start;
    }

    /// <summary>Formats lines into UTF-8 chunks, honouring timestamps and limitBytes.</summary>
    private sealed class LineWriter(Stream body, ILogLines lines, LogSource source, bool timestamps, long? limitBytes)
    {
        private readonly StringBuilder _buffer = new();
        private long _remaining = limitBytes ?? long.MaxValue;

        public ILogLines Lines => lines;

        public LogSource Source => source;

        /// <summary>True once limitBytes bytes were written.</summary>
        public bool Exhausted => _remaining <= 0;

        /// <summary>Buffers lines first..last, writing full chunks; stops once limitBytes is used up.</summary>
        public async Task WriteRangeAsync(long first, long last, CancellationToken cancel)
        {
            for (var n = Math.Max(1, first); n <= last && !Exhausted; n++)
            {
                if (timestamps)
                {
                    _buffer.Append(SimFormat.TimeNano(lines.TimeOf(n) ?? source.Start)).Append(' ');
                }

                _buffer.Append(lines.Text(n)).Append('\n');
                if (_buffer.Length >= ChunkChars)
                {
                    await DrainAsync(cancel);
                }
            }
        }

        public async Task FlushAsync(CancellationToken cancel)
        {
            await DrainAsync(cancel);
            await body.FlushAsync(cancel);
        }

        private async Task DrainAsync(CancellationToken cancel)
        {
            if (_buffer.Length == 0 || Exhausted)
            {
                _buffer.Clear();
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(_buffer.ToString());
            _buffer.Clear();
            var count = (int)Math.Min(bytes.Length, _remaining);
            _remaining -= count;
            await body.WriteAsync(bytes.AsMemory(0, count), cancel);
        }
    }
}
