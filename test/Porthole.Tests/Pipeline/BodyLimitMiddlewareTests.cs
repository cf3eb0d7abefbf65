using System.Net;
using Microsoft.AspNetCore.Http;

namespace Porthole.Tests.Pipeline;

public sealed class BodyLimitMiddlewareTests
{
    private static Task<PortholeTestHost> StartAsync(long? limit = null) => PortholeTestHost.StartAsync(
        app => app.MapPost("/upload", async (HttpContext c) =>
        {
            using var sink = new MemoryStream();
            await c.Request.Body.CopyToAsync(sink);
            return sink.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }),
        limit is null ? null : new() { BodyLimit = limit.Value });

    private static HttpRequestMessage Upload(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = content };
        request.Headers.Add("X-Requested-With", "test");
        return request;
    }

    [Fact]
    public async Task Post_DefaultLimitExactly1MiB_Accepted()
    {
        await using var host = await StartAsync();
        using var client = host.Client();

        using var response = await client.SendAsync(Upload(new ByteArrayContent(new byte[1024 * 1024])));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1048576", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_DefaultLimitContentLengthOver1MiB_413Problem()
    {
        await using var host = await StartAsync();
        using var client = host.Client();

        using var response = await client.SendAsync(Upload(new ByteArrayContent(new byte[(1024 * 1024) + 1])));

        await ProblemJson.AssertProblemAsync(response, 413, "body_too_large");
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_413Problem()
    {
        await using var host = await StartAsync(limit: 1000);
        using var client = host.Client();
        var content = new StreamContent(new MemoryStream(new byte[5000]));
        using var request = Upload(content);
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await ProblemJson.AssertProblemAsync(response, 413, "body_too_large");
    }
}
