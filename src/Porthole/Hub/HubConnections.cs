using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Porthole.Hub;

/// <summary>The open hub connections, so a drain can close them all with 1001.</summary>
internal sealed class HubConnections
{
    private readonly ConcurrentDictionary<HubConnection, byte> _open = new();

    public int Count => _open.Count;

    public IDisposable Register(HubConnection connection)
    {
        _open[connection] = 0;
        return new Registration(this, connection);
    }

    /// <summary>Closes every connection with 1001 "server shutting down".</summary>
    public Task CloseAllAsync() =>
        Task.WhenAll(_open.Keys.Select(c => c.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down")));

    private sealed class Registration(HubConnections owner, HubConnection connection) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(connection, out _);
    }
}
