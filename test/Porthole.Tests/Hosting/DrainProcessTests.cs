using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Porthole.Tests.Hosting;

/// <summary>
/// SIGTERM to the real porthole process while requests are in flight and WebSockets are open.
/// The process runs in the Development environment, whose slow endpoint and echo WebSocket
/// (DevelopmentEndpoints) stand in for long requests and the hub's sockets.
/// </summary>
public sealed partial class DrainProcessTests
{
    private static readonly TimeSpan DrainBudget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sigterm_SlowRequestsAndOpenSockets_RequestsCompleteSocketsClose1001ExitWithinBudget()
    {
        await using var porthole = new PortholeProcess(new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["PORTHOLE_DRAIN_TIMEOUT"] = $"{DrainBudget.TotalSeconds}s",
        });
        var url = await porthole.ListeningAsync();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(1) };

        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < 2; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{url.Authority}/ws/dev/echo"), CancellationToken.None);
            await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Equal("hello", await ReceiveTextAsync(socket));
            sockets.Add(socket);
        }

        var slow = Enumerable.Range(0, 2).Select(_ => client.GetAsync("/api/v1/dev/sleep?ms=3000")).ToList();
        await WaitInFlightAsync(client, atLeast: 2 + 2 + 1); // 2 sleeps, 2 sockets, this scrape

        var clock = Stopwatch.StartNew();
        await porthole.SignalAsync();

        foreach (var socket in sockets)
        {
            var close = await socket.ReceiveAsync(new byte[64], new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
            Assert.Equal(WebSocketMessageType.Close, close.MessageType);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
            Assert.Equal("server shutting down", socket.CloseStatusDescription);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            socket.Dispose();
        }

        foreach (var request in slow)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("slept 3000 ms", await response.Content.ReadAsStringAsync());
        }

        await porthole.ExitAsync(TimeSpan.FromMinutes(1));
        clock.Stop();

        Assert.Equal(0, porthole.ExitCode);
        Assert.True(clock.Elapsed < DrainBudget, $"exit took {clock.Elapsed} (budget {DrainBudget})");
        var log = porthole.Log;
        Assert.Contains("Drain 1/4: server context cancelled", log, StringComparison.Ordinal);
        Assert.Contains("Drain 2/4: 2 WebSockets: 2 closed with 1001, 0 aborted", log, StringComparison.Ordinal);
        Assert.Contains("Drain 3/4: listener closed to new connections", log, StringComparison.Ordinal);
        Assert.Contains("Drain 3/4: in-flight requests finished", log, StringComparison.Ordinal);
        Assert.Contains("Drain 4/4: background tasks stopped", log, StringComparison.Ordinal);
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    private static async Task WaitInFlightAsync(HttpClient client, int atLeast)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var metrics = await client.GetStringAsync("/metrics", deadline.Token);
            if (InFlight().Match(metrics) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= atLeast)
            {
                return;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    [GeneratedRegex("^porthole_http_requests_in_flight (\\d+)$", RegexOptions.Multiline)]
    private static partial Regex InFlight();
}
