using System.Net;
using System.Net.Sockets;

namespace Porthole.Tests.Hub;

/// <summary>
/// A loopback TCP forwarder between Porthole and KubeSim that a test can cut (every connection
/// reset, new ones refused) and restore: a network failure on real sockets.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private volatile bool _down;

    public TcpProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accept = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Resets every forwarded connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _down = true;
        lock (_open)
        {
            foreach (var c in _open)
            {
                c.Client.LingerState = new LingerOption(true, 0);
                c.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_down)
            {
                inbound.Client.LingerState = new LingerOption(true, 0);
                inbound.Dispose();
                continue;
            }

            _ = Task.Run(() => ForwardAsync(inbound));
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_target, _stop.Token);
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), done.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), done.Token);
            await Task.WhenAny(a, b);
            await done.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // cut, or one side closed
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accept;
    }
}
