using System.Net;

namespace Porthole.Tests.Auth;

public sealed class CsrfMiddlewareTests
{
    private static Task<PortholeTestHost> StartAsync() => PortholeTestHost.StartAsync(app =>
    {
        app.MapMethods("/change", ["POST", "PUT", "PATCH", "DELETE"], () => "changed");
        app.MapGet("/change", () => "read");
    });

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Mutation_CookieWithoutXRequestedWith_403(string method)
    {
        await using var host = await StartAsync();
        using var client = host.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/change");
        request.Headers.Add("Cookie", "porthole_session=abc");

        using var response = await client.SendAsync(request);

        await ProblemJson.AssertProblemAsync(response, 403, "csrf");
    }

    [Fact]
    public async Task Mutation_WithXRequestedWith_Allowed()
    {
        await using var host = await StartAsync();
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/change");
        request.Headers.Add("Cookie", "porthole_session=abc");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Mutation_BearerAuthenticated_Exempt()
    {
        await using var host = await StartAsync();
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/change");
        request.Headers.Add("Authorization", "Bearer some-token");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_WithoutXRequestedWith_Allowed()
    {
        await using var host = await StartAsync();
        using var client = host.Client();

        Assert.Equal("read", await client.GetStringAsync("/change"));
    }
}
