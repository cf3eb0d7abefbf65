using System.Buffers.Binary;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Porthole.KubeSim.Exec.Spdy;

/// <summary>
/// The exec channels over an upgraded SPDY/3.1 connection, as the kubelet serves kubectl before
/// 1.30: the client opens one stream per channel (header streamType: error, stdin, stdout,
/// stderr, resize), each accepted with a SYN_REPLY; data frames carry the bytes; the end of the
/// client's stdin stream (FIN) closes the command's input; the status goes on the error stream,
/// then every stream is finished and a GOAWAY ends the connection. Client pings are answered.
/// Flow control is not enforced, as spdystream does not (no WINDOW_UPDATE either way).
/// </summary>
internal sealed class SpdyExecConnection : IExecTransport
{
    /// <summary>How long the kubelet waits for the client to open the streams it asked for.</summary>
    public static readonly TimeSpan StreamCreationTimeout = TimeSpan.FromSeconds(30);

    private const int MaxChunk = 32 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromMilliseconds(500);
    private static readonly Dictionary<string, byte> Channels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["stdin"] = ExecProtocol.Stdin,
        ["stdout"] = ExecProtocol.Stdout,
        ["stderr"] = ExecProtocol.Stderr,
        ["error"] = ExecProtocol.Error,
        ["resize"] = ExecProtocol.Resize,
    };

    private readonly Stream _transport;
    private readonly SpdyFramer _framer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<byte, uint> _streams = [];
    private readonly Dictionary<uint, byte> _channelOf = [];
    private readonly HashSet<uint> _finished = [];
    private readonly Channel<(byte Channel, byte[] Data)> _incoming = Channel.CreateUnbounded<(byte, byte[])>();
    private readonly TaskCompletionSource _streamsReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<byte> _expected;
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private uint _lastStream;

    private SpdyExecConnection(Stream transport, ExecProtocol protocol, HashSet<byte> expected)
    {
        _transport = transport;
        _framer = new SpdyFramer(transport);
        Protocol = protocol;
        _expected = expected;
    }

    public ExecProtocol Protocol { get; }

    /// <summary>
    /// Starts reading the upgraded connection and waits until the client opened every stream the
    /// options call for (error, and stdin/stdout/stderr/resize as asked); null when it did not in time.
    /// </summary>
    public static async Task<SpdyExecConnection?> AcceptAsync(Stream transport, ExecProtocol protocol, bool stdin, bool stdout, bool stderr, bool tty, TimeProvider time, CancellationToken ct)
    {
        HashSet<byte> expected = [ExecProtocol.Error];
        if (stdin)
        {
            expected.Add(ExecProtocol.Stdin);
        }

        if (stdout)
        {
            expected.Add(ExecProtocol.Stdout);
        }

        if (stderr && !tty)
        {
            expected.Add(ExecProtocol.Stderr);
        }

        if (tty && protocol.Version >= 3)
        {
            expected.Add(ExecProtocol.Resize);
        }

        var connection = new SpdyExecConnection(transport, protocol, expected);
        connection._reader = Task.Run(() => connection.ReadLoopAsync(ct), CancellationToken.None);
        var ready = connection._streamsReady.Task;
        await Task.WhenAny(ready, connection._reader, Task.Delay(StreamCreationTimeout, time, ct)).ConfigureAwait(false);
        if (ready.IsCompletedSuccessfully)
        {
            return connection;
        }

        await connection.StopAsync().ConfigureAwait(false);
        connection.Dispose();
        return null;
    }

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (data.IsEmpty || StreamOf(channel) is not { } stream)
        {
            return;
        }

        for (var at = 0; at < data.Length; at += MaxChunk)
        {
            var chunk = data.Slice(at, Math.Min(MaxChunk, data.Length - at));
            await WriteAsync(SpdyFramer.Data(stream, chunk.Span, fin: false), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Output streams end first, then the status goes on the error stream, which ends too.</summary>
    public async Task SendStatusAsync(JsonObject status, CancellationToken ct)
    {
        await FinishAsync(ExecProtocol.Stdout, ct).ConfigureAwait(false);
        await FinishAsync(ExecProtocol.Stderr, ct).ConfigureAwait(false);
        if (ExecStatus.Encode(status, Protocol) is { } payload)
        {
            await SendAsync(ExecProtocol.Error, payload, ct).ConfigureAwait(false);
        }

        await FinishAsync(ExecProtocol.Error, ct).ConfigureAwait(false);
    }

    public async Task ReceiveAsync(Func<byte, byte[], Task> onFrame, CancellationToken ct)
    {
        try
        {
            await foreach (var (channel, data) in _incoming.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await onFrame(channel, data).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Finishes every stream still open on our side, sends GOAWAY and gives the client a moment to hang up.</summary>
    public async Task CloseAsync(Task receive, TimeProvider time)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            foreach (var channel in Channels.Values)
            {
                await FinishAsync(channel, timeout.Token).ConfigureAwait(false);
            }

            await WriteAsync(SpdyFramer.GoAway(_lastStream), timeout.Token).ConfigureAwait(false);
            await Task.WhenAny(_reader, Task.Delay(CloseGrace, time)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        await StopAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Dispose();
        _writeLock.Dispose();
        _framer.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken aborted)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stop.Token);
        try
        {
            while (await _framer.ReadAsync(both.Token).ConfigureAwait(false) is { } frame)
            {
                if (!frame.Control)
                {
                    OnData(frame);
                    continue;
                }

                switch (frame.Type)
                {
                    case SpdyFrame.SynStream:
                        await OnSynStreamAsync(frame, both.Token).ConfigureAwait(false);
                        break;
                    case SpdyFrame.Ping when frame.Payload.Length == 4 && (BinaryPrimitives.ReadUInt32BigEndian(frame.Payload) & 1) == 1:
                        await WriteAsync(SpdyFramer.Pong(frame), both.Token).ConfigureAwait(false);
                        break;
                    case SpdyFrame.RstStream when ChannelOf(frame.StreamId) == ExecProtocol.Stdin:
                        _incoming.Writer.TryWrite((ExecProtocol.Close, [ExecProtocol.Stdin]));
                        break;
                    case SpdyFrame.GoAway:
                        return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidDataException or ICSharpCode.SharpZipLib.SharpZipBaseException)
        {
            // The client went away or spoke nonsense: the session ends as if it had hung up.
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    private async Task OnSynStreamAsync(SpdyFrame frame, CancellationToken ct)
    {
        var headers = _framer.SynStreamHeaders(frame);
        if (!headers.TryGetValue("streamType", out var type) || !Channels.TryGetValue(type, out var channel))
        {
            await WriteAsync(SpdyFramer.RstStream(frame.StreamId, 1), ct).ConfigureAwait(false);
            return;
        }

        bool ready;
        lock (_gate)
        {
            _streams[channel] = frame.StreamId;
            _channelOf[frame.StreamId] = channel;
            _lastStream = Math.Max(_lastStream, frame.StreamId);
            ready = _expected.All(_streams.ContainsKey);
        }

        await WriteAsync(_framer.SynReply(frame.StreamId), ct).ConfigureAwait(false);
        if (frame.Fin && channel == ExecProtocol.Stdin)
        {
            _incoming.Writer.TryWrite((ExecProtocol.Close, [ExecProtocol.Stdin]));
        }

        if (ready)
        {
            _streamsReady.TrySetResult();
        }
    }

    private void OnData(SpdyFrame frame)
    {
        if (ChannelOf(frame.StreamId) is not { } channel)
        {
            return;
        }

        if (frame.Payload.Length > 0)
        {
            _incoming.Writer.TryWrite((channel, frame.Payload));
        }

        if (frame.Fin && channel == ExecProtocol.Stdin)
        {
            _incoming.Writer.TryWrite((ExecProtocol.Close, [ExecProtocol.Stdin]));
        }
    }

    /// <summary>An empty data frame with FIN: our side of the stream is done (once).</summary>
    private async Task FinishAsync(byte channel, CancellationToken ct)
    {
        uint stream;
        lock (_gate)
        {
            if (!_streams.TryGetValue(channel, out stream) || !_finished.Add(stream))
            {
                return;
            }
        }

        await WriteAsync(SpdyFramer.Data(stream, [], fin: true), ct).ConfigureAwait(false);
    }

    private uint? StreamOf(byte channel)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(channel, out var stream) && !_finished.Contains(stream) ? stream : null;
        }
    }

    private byte? ChannelOf(uint stream)
    {
        lock (_gate)
        {
            return _channelOf.TryGetValue(stream, out var channel) ? channel : null;
        }
    }

    private async Task WriteAsync(byte[] frame, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _transport.WriteAsync(frame, ct).ConfigureAwait(false);
            await _transport.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Stops the reader; call before <see cref="Dispose"/>.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
    }
}
