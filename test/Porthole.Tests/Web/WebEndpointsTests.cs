using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Porthole.Web;

namespace Porthole.Tests.Web;

/// <summary>The SPA over real Kestrel with the full pipeline, serving a web/dist-shaped folder.</summary>
public sealed partial class WebEndpointsTests : IAsyncLifetime, IDisposable
{
    private const string Script = "console.log('porthole');\n";
    private readonly TempDir _dist = new();
    private PortholeTestHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_dist.Path, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_dist.Path, "index.html"),
            "<!doctype html><html><head><meta name=\"csp-nonce\" content=\"%CSP_NONCE%\">" +
            "<script type=\"module\" nonce=\"%CSP_NONCE%\" src=\"/assets/index-3f9a1c.js\"></script></head><body><div id=\"root\"></div></body></html>");
        await File.WriteAllTextAsync(Path.Combine(_dist.Path, "assets", "index-3f9a1c.js"), string.Concat(Enumerable.Repeat(Script, 200)));
        await File.WriteAllTextAsync(Path.Combine(_dist.Path, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        _host = await PortholeTestHost.StartAsync(services: s => s.AddSingleton(new WebAssets(new PhysicalFileProvider(_dist.Path))));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _dist.Dispose();

    [Fact]
    public async Task Index_TwoResponses_PageNonceEqualsCspNonceAndDiffers()
    {
        using var client = _host.Client();

        var (firstPage, firstCsp) = await GetPageAsync(client, "/");
        var (secondPage, secondCsp) = await GetPageAsync(client, "/");

        var first = MetaNonce().Match(firstPage).Groups[1].Value;
        var second = MetaNonce().Match(secondPage).Groups[1].Value;
        Assert.NotEmpty(first);
        Assert.Contains($"script-src 'self' 'nonce-{first}'", firstCsp, StringComparison.Ordinal);
        Assert.Contains($"nonce=\"{first}\" src=", firstPage, StringComparison.Ordinal);
        Assert.Contains($"'nonce-{second}'", secondCsp, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(WebAssets.NoncePlaceholder, firstPage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/c/sim-admin/apps/v1/deployments/default/web")]
    [InlineData("/settings")]
    public async Task Fallback_DeepLinkAcceptingHtml_GetsIndexNotCached(string path)
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Contains("<div id=\"root\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RootWithAnyAccept_ServesTheApp()
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("*/*");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"root\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/c/sim-admin", "application/json")]
    [InlineData("/api/v1/nothing-here", "text/html")]
    [InlineData("/ws/nothing", "text/html")]
    [InlineData("/metrics/x", "text/html")]
    [InlineData("/assets/index-000000.js", "text/html")]
    public async Task Get_NotTheAppOrAnAsset_Is404ProblemJson(string path, string accept)
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);

        using var response = await client.SendAsync(request);

        await ProblemJson.AssertProblemAsync(response, 404, "not_found");
    }

    [Fact]
    public async Task Asset_Hashed_ImmutableCompressedWithETag()
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/index-3f9a1c.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("'nonce-", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.True(response.Content.Headers.ContentLength < Script.Length * 200);
    }

    [Fact]
    public async Task TopLevelFile_Existing_ServedRevalidated()
    {
        using var client = _host.Client();

        using var response = await client.GetAsync("/favicon.svg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task Post_UnknownPath_Is404Problem()
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/somewhere") { Content = new StringContent("{}") };
        request.Headers.Add("X-Requested-With", "test");

        using var response = await client.SendAsync(request);

        await ProblemJson.AssertProblemAsync(response, 404, "not_found");
    }

    [Fact]
    public void Embedded_Build_HasIndexHtml()
    {
        var index = WebAssets.Embedded().Files.GetFileInfo("index.html");

        Assert.True(index.Exists);
        Assert.True(index.Length > 0);
    }

    private static async Task<(string Page, string Csp)> GetPageAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [GeneratedRegex("<meta name=\"csp-nonce\" content=\"([^\"]+)\">")]
    private static partial Regex MetaNonce();
}
