using Microsoft.AspNetCore.Http;

namespace Porthole.Tests.Pipeline;

public sealed class SecurityHeadersMiddlewareTests
{
    [Fact]
    public async Task Response_Plain_HasSecurityHeadersAndFreshNonceButNoHsts()
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapGet("/nonce", (HttpContext c) => c.GetCspNonce()));
        using var client = host.Client();

        using var first = await client.GetAsync("/nonce");
        using var second = await client.GetAsync("/nonce");

        var csp = Assert.Single(first.Headers.GetValues("Content-Security-Policy"));
        var nonce = await first.Content.ReadAsStringAsync();
        Assert.Contains($"script-src 'self' 'nonce-{nonce}'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.NotEqual(nonce, await second.Content.ReadAsStringAsync());
        Assert.Equal("DENY", Assert.Single(first.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(first.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(first.Headers.GetValues("Referrer-Policy")));
        Assert.False(first.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Response_Tls_HasHsts()
    {
        using var tls = TestCertificate.WritePemFiles();
        await using var host = await PortholeTestHost.StartAsync(options: new() { TlsCert = tls.CertPath, TlsKey = tls.KeyPath });
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == tls.Thumbprint },
        });

        using var response = await client.GetAsync(new Uri(host.Url, "/healthz"));

        Assert.Equal("https", host.Url.Scheme);
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }
}
