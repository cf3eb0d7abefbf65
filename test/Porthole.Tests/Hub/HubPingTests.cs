using System.Net.WebSockets;
using Porthole.Hub;

namespace Porthole.Tests.Hub;

/// <summary>A hub with a short ping interval, so pings and the pong timeout happen within a test.</summary>
public sealed class FastPingFixture : HubFixture
{
    protected override HubOptions Options => new() { PingInterval = TimeSpan.FromMilliseconds(200), PongTimeout = TimeSpan.FromSeconds(2) };
}

public sealed class HubPingTests(FastPingFixture fixture) : IClassFixture<FastPingFixture>
{
    [Fact]
    public async Task Ping_ClientAnswersPong_ConnectionStaysOpenPastPongTimeout()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        client.AnswerPings = true;
        await HubFixture.WaitForAsync(() => client.Pings >= 20 || client.Closed.IsCompleted, "20 pings (4 s, twice the pong timeout)");
        Assert.Null(client.CloseStatus);
        Assert.False(client.Closed.IsCompleted);
    }

    [Fact]
    public async Task Ping_NoPong_ClosedWithPolicyViolation()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.Closed.WaitAsync(HubClient.Deadline);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Contains("no pong", client.CloseDescription, StringComparison.Ordinal);
    }
}
