using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Porthole.Tests.Hub;

/// <summary>A real WebSocket client of /ws that collects every frame it receives.</summary>
public sealed class HubClient : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _receive;
    private readonly List<JsonElement> _pending = [];
    private readonly Dictionary<string, Queue<JsonElement>> _events = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private int _pings;

    private HubClient(ClientWebSocket socket, bool read)
    {
        _socket = socket;
        _receive = read ? Task.Run(ReceiveAsync) : Task.CompletedTask;
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Answer the server's pings with pongs (a well-behaved client).</summary>
    public bool AnswerPings { get; set; }

    /// <summary>Pings received from the server.</summary>
    public int Pings => Volatile.Read(ref _pings);

    public string? CloseDescription => _socket.CloseStatusDescription;

    /// <summary>Completes when the server closed (or the connection broke).</summary>
    public Task Closed => _receive;

    /// <param name="headers">Extra upgrade request headers (the fixtures' test sign-in reads some).</param>
    public static async Task<HubClient> ConnectAsync(Uri server, string? origin = null, bool read = true, IReadOnlyDictionary<string, string>? headers = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = new CancellationTokenSource(Deadline);
        var url = new UriBuilder(new Uri(server, "/ws")) { Scheme = server.Scheme == "https" ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(url, timeout.Token);
        return new HubClient(socket, read);
    }

    public Task SendAsync(string type, string? channel = null, object? payload = null)
    {
        var frame = new JsonObject { ["type"] = type };
        if (channel is not null)
        {
            frame["channel"] = channel;
        }

        if (payload is not null)
        {
            frame["payload"] = JsonSerializer.SerializeToNode(payload, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }

        return SendRawAsync(frame.ToJsonString());
    }

    public Task SubscribeAsync(string channel, object payload) => SendAsync("subscribe", channel, payload);

    public Task SendRawAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await _sending.WaitAsync(timeout.Token);
        try
        {
            await _socket.SendAsync(bytes, type, true, timeout.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>
    /// The first frame not yet taken (pings skipped) that satisfies <paramref name="match"/>;
    /// frames that do not match stay for later calls, so channels can be read independently.
    /// </summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool>? match = null, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? Deadline);
        try
        {
            while (true)
            {
                var index = _pending.FindIndex(f => match is null || match(f));
                if (index >= 0)
                {
                    var frame = _pending[index];
                    _pending.RemoveAt(index);
                    return frame;
                }

                var next = await _frames.Reader.ReadAsync(timeout.Token);
                if (next.GetProperty("type").GetString() != "ping")
                {
                    _pending.Add(next);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no matching frame arrived in time; pending: " + string.Join(" | ", _pending.Select(f => f.ToString()[..Math.Min(200, f.ToString().Length)])));
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the connection closed ({CloseStatus} {CloseDescription}) before a matching frame arrived");
        }
    }

    /// <summary>The next frame on <paramref name="channel"/>.</summary>
    public Task<JsonElement> NextOnAsync(string channel, TimeSpan? deadline = null) =>
        NextAsync(f => f.TryGetProperty("channel", out var c) && c.GetString() == channel, deadline);

    /// <summary>Asserts that the next frame on <paramref name="channel"/> is an <c>error</c> with <paramref name="code"/>; returns its message.</summary>
    public async Task<string> NextErrorAsync(string channel, string code)
    {
        var frame = await NextOnAsync(channel);
        Assert.Equal("error", frame.GetProperty("type").GetString());
        Assert.Equal(code, frame.GetProperty("payload").GetProperty("code").GetString());
        return frame.GetProperty("payload").GetProperty("message").GetString()!;
    }

    /// <summary>
    /// The next <c>resource_watch</c> payload on <paramref name="channel"/> with BATCH frames
    /// flattened: each of their events comes out on its own, in order, as if sent alone.
    /// </summary>
    public async Task<JsonElement> NextEventAsync(string channel, TimeSpan? deadline = null)
    {
        if (_events.TryGetValue(channel, out var queued) && queued.Count > 0)
        {
            return queued.Dequeue();
        }

        var frame = await NextOnAsync(channel, deadline);
        if (frame.GetProperty("type").GetString() != "resource_watch")
        {
            throw new InvalidOperationException("expected a resource_watch frame, got " + frame);
        }

        var events = new Queue<JsonElement>(Flatten(frame.GetProperty("payload")));
        _events[channel] = events;
        return events.Dequeue();
    }

    /// <summary>A <c>resource_watch</c> payload as the events it carries: a BATCH's events, otherwise itself.</summary>
    public static IEnumerable<JsonElement> Flatten(JsonElement payload) =>
        payload.GetProperty("type").GetString() == "BATCH" ? payload.GetProperty("events").EnumerateArray() : [payload];

    /// <summary>Frames already received and not yet read, without waiting.</summary>
    public List<JsonElement> Drain()
    {
        var list = new List<JsonElement>(_pending);
        _pending.Clear();
        while (_frames.Reader.TryRead(out var f))
        {
            list.Add(f);
        }

        return list;
    }

    /// <summary>Starts reading after a pause (for clients created with read: false).</summary>
    public Task ReadUntilClosedAsync() => ReceiveAsync();

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using var doc = JsonDocument.Parse(message.ToArray());
                    if (doc.RootElement.GetProperty("type").GetString() == "ping")
                    {
                        Interlocked.Increment(ref _pings);
                        if (AnswerPings)
                        {
                            await SendRawAsync("{\"type\":\"pong\"}");
                        }
                    }

                    _frames.Writer.TryWrite(doc.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException)
        {
            // aborted
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                await _receive.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // the server is gone already
            }
        }

        _socket.Dispose();
        _sending.Dispose();
    }
}
