using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;

namespace Porthole.Hub.Channels;

/// <summary>
/// Gathers lines from a logs channel's streams into <c>log_stream</c> frames: one goes out every
/// <see cref="HubOptions.LogBatchDelay"/> while lines arrive, or as soon as it holds
/// <see cref="HubOptions.LogBatchBytes"/>. The line queue is bounded and the send waits for room
/// in the connection's queue, so a slow client slows the upstream reads rather than memory growing.
/// </summary>
internal sealed class LogBatcher(string channel, IHubOutput output, HubOptions options, TimeProvider time)
{
    private readonly Channel<LogLine> _lines = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(2048) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ValueTask AddAsync(LogLine line, CancellationToken cancellationToken) => _lines.Writer.WriteAsync(line, cancellationToken);

    /// <summary>No more lines: the run loop sends what is left, then a frame with <c>end: true</c>.</summary>
    public void Complete() => _lines.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _lines.Reader;
        var batch = new List<LogLine>();
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var bytes = 0;
            var due = time.GetTimestamp();
            while (true)
            {
                while (bytes < options.LogBatchBytes && reader.TryRead(out var line))
                {
                    batch.Add(line);
                    bytes += line.Text.Length + line.Pod.Length + line.Container.Length + 40;
                }

                var left = options.LogBatchDelay - time.GetElapsedTime(due);
                if (bytes >= options.LogBatchBytes || left <= TimeSpan.Zero || reader.Completion.IsCompleted)
                {
                    break;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(left);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            await output.SendAsync(HubMessageTypes.LogStream, channel, Payload(batch, end: false), cancellationToken);
            batch.Clear();
        }

        await output.SendAsync(HubMessageTypes.LogStream, channel, Payload([], end: true), cancellationToken);
    }

    /// <summary><c>{"lines":[{"pod","container","text","time"?}],"end"?:true}</c></summary>
    public static byte[] Payload(IReadOnlyList<LogLine> lines, bool end)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("lines"u8);
            foreach (var line in lines)
            {
                w.WriteStartObject();
                w.WriteString("pod"u8, line.Pod);
                w.WriteString("container"u8, line.Container);
                w.WriteString("text"u8, line.Text);
                if (line.Time is not null)
                {
                    w.WriteString("time"u8, line.Time);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (end)
            {
                w.WriteBoolean("end"u8, true);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>One log line, tagged with where it came from.</summary>
internal sealed record LogLine(string Pod, string Container, string Text, string? Time);
