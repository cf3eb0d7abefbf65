using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Porthole.Tests.Pipeline;

public sealed class ETagMiddlewareTests
{
    private static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app)
    {
        app.MapGet("/doc", () => Results.Text(string.Concat(Enumerable.Repeat("porthole ", 200)), "application/json"));
        app.MapGet("/stream", async (HttpContext c) =>
        {
            c.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
            await c.Response.WriteAsync("event\n");
            await c.Response.Body.FlushAsync();
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Get_IfNoneMatchEqualsETag_304WithoutBody(string? encoding)
    {
        await using var host = await PortholeTestHost.StartAsync(Map);
        using var client = host.Client();
        if (encoding is not null)
        {
            client.DefaultRequestHeaders.Add("Accept-Encoding", encoding);
        }

        using var first = await client.GetAsync("/doc");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/doc");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
    }

    [Fact]
    public async Task Get_IfNoneMatchStale_200WithBody()
    {
        await using var host = await PortholeTestHost.StartAsync(Map);
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/doc");
        request.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"stale\""));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("porthole porthole", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StreamingResponse_PassedThroughWithoutETag()
    {
        await using var host = await PortholeTestHost.StartAsync(Map);
        using var client = host.Client();

        using var response = await client.GetAsync("/stream");

        Assert.Equal("event\n", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task Post_Response_HasNoETag()
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapPost("/doc", () => "created"));
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/doc");
        request.Headers.Add("X-Requested-With", "test");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.ETag);
    }
}
