using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Porthole.Bench.Hub;

/// <summary>
/// The baseline: a bare Kestrel WebSocket endpoint in the server process that writes each event,
/// serialized once, to every socket through a per-socket queue: no envelope, no watch, no auth.
/// Its frames look like the hub's (a MODIFIED ConfigMap with a resourceVersion) so the bench
/// reads both the same way.
/// </summary>
internal sealed class RawBroadcast : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Channel<byte[]>> _queues = [];
    private long _sequence;

    private RawBroadcast(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<RawBroadcast> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var raw = new RawBroadcast(app);
        app.UseWebSockets();
        app.Map("/raw", raw.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        raw.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/raw");
        return raw;
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        lock (_queues)
        {
            _queues.Add(queue);
        }

        await socket.SendAsync("""{"type":"resource_watch","payload":{"type":"SNAPSHOT","objects":[]}}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        try
        {
            await foreach (var frame in queue.Reader.ReadAllAsync(context.RequestAborted))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // client gone
        }
        finally
        {
            lock (_queues)
            {
                _queues.Remove(queue);
            }
        }
    }

    /// <summary>Broadcasts <paramref name="rate"/> events a second for <paramref name="seconds"/>, reporting each as <c>w SEQ TIMESTAMP</c>.</summary>
    public async Task BroadcastAsync(double rate, double seconds, Action<string> report)
    {
        var clock = Stopwatch.StartNew();
        var count = (long)(rate * seconds);
        for (var i = 0L; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due);
            }

            var seq = Interlocked.Increment(ref _sequence);
            var frame = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$$"""{"type":"resource_watch","channel":"watch:cm","payload":{"type":"MODIFIED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"churn-{{{seq % 100:D3}}}","namespace":"load","resourceVersion":"{{{seq}}}","annotations":{"kubesim.io/churn":"{{{seq}}}"}},"data":{"purpose":"churn"}},"resourceVersion":"{{{seq}}}"}}"""));
            report(string.Create(CultureInfo.InvariantCulture, $"w {seq} {Stopwatch.GetTimestamp()}"));
            lock (_queues)
            {
                foreach (var q in _queues)
                {
                    q.Writer.TryWrite(frame);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
