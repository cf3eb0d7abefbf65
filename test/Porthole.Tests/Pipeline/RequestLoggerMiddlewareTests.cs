using Microsoft.AspNetCore.Http;

namespace Porthole.Tests.Pipeline;

public sealed class RequestLoggerMiddlewareTests
{
    [Fact]
    public async Task Request_Completed_LogsMethodPathStatusIdAndUserButNoSecrets()
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapGet("/teapot", () => Results.StatusCode(418)));
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/teapot?token=query-secret");
        request.Headers.Add("Authorization", "Bearer header-secret");

        using var response = await client.SendAsync(request);
        var id = Assert.Single(response.Headers.GetValues("X-Request-ID"));
        await host.App.StopAsync();

        var line = Assert.Single(host.Logs.Lines, l => l.Category.EndsWith("RequestLoggerMiddleware", StringComparison.Ordinal)).Message;
        Assert.StartsWith("GET /teapot 418 ", line, StringComparison.Ordinal);
        Assert.Contains($"request {id}", line, StringComparison.Ordinal);
        Assert.Contains("user kubeconfig", line, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains("secret", StringComparison.Ordinal));
    }
}
