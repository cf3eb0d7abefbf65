using System.Collections.Concurrent;
using System.Net.WebSockets;
using Porthole.Hub.Channels;

namespace Porthole.Hub;

/// <summary>
/// One /ws connection: a receive loop that parses, rate-limits and dispatches client messages,
/// the channels it opened, a ping loop and the bounded sender. See docs/protocols/hub.md.
/// </summary>
internal sealed partial class HubConnection : IHubOutput, IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly HubOptions _options;
    private readonly TimeProvider _time;
    private readonly HubChannelFactory _factory;
    private readonly ILogger _logger;
    private readonly HubSender _sender;
    private readonly HubRateLimiter _rate;
    private readonly ConcurrentDictionary<string, ChannelEntry> _channels = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationTokenSource _writer = new();
    private Task _writerTask = Task.CompletedTask;
    private readonly Lock _gate = new();
    private Task? _closing;
    private long _lastPong;

    public HubConnection(WebSocket socket, string sessionId, HubOptions options, TimeProvider time, HubChannelFactory factory, ILogger logger, CancellationToken aborted)
    {
        _socket = socket;
        SessionId = sessionId;
        _options = options;
        _time = time;
        _factory = factory;
        _logger = logger;
        _sender = new HubSender(socket, options);
        _rate = new HubRateLimiter(options, time);
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _lastPong = time.GetTimestamp();
        _sender.Overflowed += () => _ = CloseAsync(WebSocketCloseStatus.PolicyViolation, _sender.OverflowReason ?? "client too slow");
    }

    public string SessionId { get; }

    public int ChannelCount => _channels.Count;

    /// <summary>Serves the connection until either side closes it.</summary>
    public async Task RunAsync()
    {
        _writerTask = _sender.RunAsync(_writer.Token);
        var ping = PingLoopAsync(_lifetime.Token);
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            HubLog.ConnectionBroken(_logger, SessionId, e.Message);
        }
        finally
        {
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
            await ping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Closes the connection from the server side (idempotent); e.g. on drain with 1001.</summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            return _closing ??= CloseCoreAsync(status, reason);
        }
    }

    private async Task CloseCoreAsync(WebSocketCloseStatus status, string reason)
    {
        await Task.Yield();
        if (status != WebSocketCloseStatus.NormalClosure)
        {
            HubLog.ConnectionClosing(_logger, SessionId, (int)status, reason);
        }

        await _lifetime.CancelAsync();
        await Task.WhenAll(_channels.Values.Select(c => c.Run));
        _sender.Complete();
        if (await Task.WhenAny(_writerTask, Task.Delay(TimeSpan.FromSeconds(2), _time)) != _writerTask)
        {
            await _writer.CancelAsync();
        }

        await _writerTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            try
            {
                await _socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                _socket.Abort();
                return;
            }
        }

        // The client answers our close; one that never does is cut off.
        _ = Task.Delay(TimeSpan.FromSeconds(5), _time).ContinueWith(_ => _socket.Abort(), TaskScheduler.Default);
    }

    public bool TrySend(string type, string channel, byte[] payload, bool snapshot = false) =>
        _sender.TryEnqueue(HubFrame.Write(type, SessionId, channel, payload, _time.GetUtcNow()), snapshot);

    public ValueTask<bool> SendAsync(string type, string channel, byte[] payload, CancellationToken cancellationToken) =>
        _sender.EnqueueAsync(HubFrame.Write(type, SessionId, channel, payload, _time.GetUtcNow()), cancellationToken);

    private void SendError(string? channel, string code, string message) =>
        _sender.TryEnqueue(HubFrame.Write(HubMessageTypes.Error, SessionId, channel, HubFrame.ErrorPayload(code, message), _time.GetUtcNow()));

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.PingInterval, _time, cancellationToken);
                if (_time.GetElapsedTime(Interlocked.Read(ref _lastPong)) > _options.PongTimeout)
                {
                    _ = CloseAsync(WebSocketCloseStatus.PolicyViolation, $"no pong for {_options.PongTimeout.TotalSeconds} s");
                    return;
                }

                _sender.TryEnqueue(HubFrame.Write(HubMessageTypes.Ping, SessionId, null, default, _time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException)
        {
            // closing
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
        _lifetime.Dispose();
        _writer.Dispose();
    }

    private sealed record ChannelEntry(IHubChannel Channel, CancellationTokenSource Stop, Task Run);
}
