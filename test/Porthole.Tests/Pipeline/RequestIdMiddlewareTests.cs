namespace Porthole.Tests.Pipeline;

public sealed class RequestIdMiddlewareTests
{
    [Fact]
    public async Task Response_NoIncomingId_Carries32HexDigits()
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapGet("/id", (Microsoft.AspNetCore.Http.HttpContext c) => c.GetRequestId()));
        using var client = host.Client();

        using var first = await client.GetAsync("/id");
        using var second = await client.GetAsync("/id");

        var id = Assert.Single(first.Headers.GetValues("X-Request-ID"));
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, await first.Content.ReadAsStringAsync());
        Assert.NotEqual(id, Assert.Single(second.Headers.GetValues("X-Request-ID")));
    }

    [Fact]
    public async Task Response_WellFormedIncomingId_Kept()
    {
        await using var host = await PortholeTestHost.StartAsync();
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Request-ID", "proxy-id_0123.abc");

        using var response = await client.SendAsync(request);

        Assert.Equal("proxy-id_0123.abc", Assert.Single(response.Headers.GetValues("X-Request-ID")));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has spaces in it")]
    [InlineData("<script>alert(1)</script>")]
    public async Task Response_MalformedIncomingId_Replaced(string incoming)
    {
        await using var host = await PortholeTestHost.StartAsync();
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation("X-Request-ID", incoming);

        using var response = await client.SendAsync(request);

        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(response.Headers.GetValues("X-Request-ID")));
    }
}
