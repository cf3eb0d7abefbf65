using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Porthole.Tests;

/// <summary>
/// A loopback TCP relay in front of KubeSim (TLS passes through untouched): <see cref="Stop"/>
/// closes its listener and every relayed connection, so the API server is gone as far as
/// Porthole can tell; <see cref="Start"/> listens again on the same port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _running;
    private Task _accepting = Task.CompletedTask;

    public TcpRelay(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        Start();
    }

    public int Port { get; private set; }

    public Uri Url => new($"https://127.0.0.1:{Port}");

    public void Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _running = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _running.Token);
    }

    public async Task StopAsync()
    {
        await _running!.CancelAsync();
        _listener!.Stop();
        await _accepting;
        foreach (var client in _connections.Keys)
        {
            client.Dispose();
        }

        _connections.Clear();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var inbound = await listener.AcceptTcpClientAsync(ct);
                var outbound = new TcpClient();
                _connections[inbound] = 0;
                _connections[outbound] = 0;
                _ = RelayAsync(inbound, outbound, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient inbound, TcpClient outbound, CancellationToken ct)
    {
        try
        {
            await outbound.ConnectAsync(_target, ct);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, ct), b.CopyToAsync(a, ct));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Either side went away.
        }
        finally
        {
            _connections.TryRemove(inbound, out _);
            _connections.TryRemove(outbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is { IsCancellationRequested: false })
        {
            await StopAsync();
        }

        _running?.Dispose();
    }
}
