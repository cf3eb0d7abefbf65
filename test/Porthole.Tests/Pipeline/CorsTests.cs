namespace Porthole.Tests.Pipeline;

public sealed class CorsTests
{
    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/healthz");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        return request;
    }

    [Fact]
    public async Task Preflight_NoOriginsConfigured_NotAllowed()
    {
        await using var host = await PortholeTestHost.StartAsync();
        using var client = host.Client();

        using var response = await client.SendAsync(Preflight("https://evil.example"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_AllowlistedOrigin_AllowedAndOthersNot()
    {
        await using var host = await PortholeTestHost.StartAsync(options: new() { CorsOrigins = ["https://console.example"] });
        using var client = host.Client();

        using var allowed = await client.SendAsync(Preflight("https://console.example"));
        using var other = await client.SendAsync(Preflight("https://evil.example"));

        Assert.Equal(204, (int)allowed.StatusCode);
        Assert.Equal("https://console.example", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
