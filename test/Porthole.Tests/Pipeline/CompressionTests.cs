using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Porthole.Tests.Pipeline;

public sealed class CompressionTests
{
    private static readonly string Document = "{\"items\":[" + string.Join(',', Enumerable.Range(0, 500).Select(i => $"{{\"name\":\"pod-{i}\"}}")) + "]}";

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, br", "br")]
    public async Task Get_AcceptEncoding_CompressedAndRoundTrips(string accept, string expected)
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapGet("/doc", () => Results.Text(Document, "application/json")));
        using var client = host.Client();
        client.DefaultRequestHeaders.Add("Accept-Encoding", accept);

        using var response = await client.GetAsync("/doc");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(expected, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True(bytes.Length < Document.Length / 4);
        using Stream decoder = expected == "br"
            ? new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress)
            : new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(decoder);
        Assert.Equal(Document, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Get_NoAcceptEncoding_Identity()
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapGet("/doc", () => Results.Text(Document, "application/json")));
        using var client = host.Client();

        using var response = await client.GetAsync("/doc");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(Document, await response.Content.ReadAsStringAsync());
    }
}
