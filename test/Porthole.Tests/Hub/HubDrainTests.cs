using System.Net.WebSockets;

namespace Porthole.Tests.Hub;

public sealed class HubDrainTests
{
    [Fact]
    public async Task Stop_OpenConnection_Closed1001ServerShuttingDown()
    {
        var host = await PortholeTestHost.StartAsync();
        try
        {
            await using var client = await HubClient.ConnectAsync(host.Url);
            await client.SendAsync("ping");
            await client.NextAsync(f => f.GetProperty("type").GetString() == "pong");

            await host.App.StopAsync();
            await client.Closed.WaitAsync(HubClient.Deadline);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
            Assert.Equal("server shutting down", client.CloseDescription);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
