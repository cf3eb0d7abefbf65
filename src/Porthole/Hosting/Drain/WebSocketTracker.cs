using System.Collections.Concurrent;
using System.Net.WebSockets;
using Porthole.Diagnostics;

namespace Porthole.Hosting.Drain;

/// <summary>
/// Every open WebSocket of this server (the hub's /ws, SockJS terminals) is tracked here, so
/// the drain can close them all with 1001 "server shutting down" before the listener stops.
/// An owner that writes to its socket from several tasks passes its own close callback (which
/// takes the owner's write lock); otherwise the tracker closes the socket's output directly.
/// Owners stop taking new work on their sockets when <see cref="ServerContext.Stopping"/> fires.
/// </summary>
public sealed partial class WebSocketTracker(PortholeMetrics metrics, PortholeOptions options, ServerContext server)
{
    public const string ShutdownReason = "server shutting down";

    private readonly PortholeMetrics _metrics = metrics;
    private readonly ConcurrentDictionary<long, Entry> _sockets = new();
    private long _next;

    /// <summary>Open sockets now.</summary>
    public int Count => _sockets.Count;

    /// <summary>
    /// Tracks <paramref name="socket"/> until the returned registration is disposed (when the
    /// owner's loop ends). <paramref name="close"/> sends the close frame for the drain.
    /// </summary>
    public IDisposable Track(WebSocket socket, string kind, Func<WebSocketCloseStatus, string, CancellationToken, Task>? close = null)
    {
        var id = Interlocked.Increment(ref _next);
        var entry = new Entry(socket, kind, close ?? socket.CloseOutputAsync);
        _sockets[id] = entry;
        _metrics.OpenWebSockets.Add(1, new KeyValuePair<string, object?>("kind", kind));
        return new Registration(this, id);
    }

    /// <summary>
    /// Sends 1001 "server shutting down" on every socket and waits up to <paramref name="budget"/>
    /// for their owners to finish; sockets still open then are aborted. Returns how many were closed.
    /// </summary>
    internal async Task<(int Closed, int Aborted)> CloseAllAsync(TimeSpan budget, TimeProvider time, CancellationToken cancellationToken)
    {
        var open = _sockets.ToArray();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        await Task.WhenAll(open.Select(async s =>
        {
            try
            {
                if (s.Value.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await s.Value.Close(WebSocketCloseStatus.EndpointUnavailable, ShutdownReason, deadline.Token);
                }

                while (_sockets.ContainsKey(s.Key) && !deadline.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), time, deadline.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // Over budget or already gone: aborted below.
            }
        }));

        var aborted = 0;
        foreach (var (_, entry) in _sockets.ToArray())
        {
            entry.Socket.Abort();
            aborted++;
        }

        return (open.Length - aborted, aborted);
    }

    private sealed record Entry(WebSocket Socket, string Kind, Func<WebSocketCloseStatus, string, CancellationToken, Task> Close);

    private sealed class Registration(WebSocketTracker tracker, long id) : IDisposable
    {
        public void Dispose()
        {
            if (tracker._sockets.TryRemove(id, out var entry))
            {
                tracker._metrics.OpenWebSockets.Add(-1, new KeyValuePair<string, object?>("kind", entry.Kind));
            }
        }
    }
}
