using System.Diagnostics;
using System.Net.WebSockets;

namespace Porthole.Bench.Hub;

/// <summary>One WebSocket client: subscribes, waits for its snapshot, then notes (resourceVersion, receipt time) of every event.</summary>
internal sealed class BenchClient
{
    private static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();

    private readonly ClientWebSocket _socket = new();
    private readonly TaskCompletionSource _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<long> _versions = [];
    private Task _reading = Task.CompletedTask;
    private long _lastVersion;

    /// <summary>(resourceVersion, Stopwatch timestamp of receipt) of every event after the snapshot.</summary>
    public List<(long Version, long At)> Receipts { get; } = new(4096);

    public string? ClosedBecause { get; private set; }

    public long LastVersion => Interlocked.Read(ref _lastVersion);

    public Task Snapshot => _snapshot.Task;

    public async Task ConnectAsync(Uri url, byte[]? subscribe)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(url, CancellationToken.None);
        if (subscribe is not null)
        {
            await _socket.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
        }

        _reading = Task.Run(ReadAsync);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var r = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    ClosedBecause = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    break;
                }

                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                _versions.Clear();
                var kind = HubFrames.Parse(message.GetBuffer().AsSpan(0, (int)message.Length), _versions);
                message.SetLength(0);
                switch (kind)
                {
                    case FrameKind.Ping:
                        await _socket.SendAsync(Pong, WebSocketMessageType.Text, true, CancellationToken.None);
                        break;
                    case FrameKind.SnapshotEnd:
                        _snapshot.TrySetResult();
                        break;
                    case FrameKind.Events when _snapshot.Task.IsCompleted:
                        foreach (var v in _versions)
                        {
                            Receipts.Add((v, now));
                            Interlocked.Exchange(ref _lastVersion, Math.Max(_lastVersion, v));
                        }

                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            ClosedBecause ??= e.Message;
        }

        _snapshot.TrySetException(new InvalidOperationException("closed before the snapshot: " + ClosedBecause));
    }

    public async Task CloseAsync()
    {
        _socket.Abort();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }
}
