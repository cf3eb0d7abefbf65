using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;

namespace Porthole.Tests.Apis;

/// <summary>The route table of DESIGN.md over Porthole's real endpoints.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public async Task Endpoints_ApiV1_CarryTheApiTimeoutAndNothingElseDoes()
    {
        await using var host = await PortholeTestHost.StartAsync();
        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var api = endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();
        var other = endpoints.Except(api).ToList();

        Assert.Contains(api, e => e.RoutePattern.RawText == "/api/v1/clusters");
        Assert.Contains(api, e => e.RoutePattern.RawText == "/api/v1/clusters/{cluster}/api-resources");
        Assert.Contains(api, e => e.RoutePattern.RawText == "/api/v1/clusters/{cluster}/k8s/{**path}");
        Assert.All(api, e => Assert.Equal(AppBuilderTimeoutExtensions.ApiTimeoutPolicy, e.Metadata.GetMetadata<RequestTimeoutAttribute>()?.PolicyName));
        Assert.Contains(other, e => e.RoutePattern.RawText == "/metrics");
        Assert.All(other, e => Assert.Null(e.Metadata.GetMetadata<RequestTimeoutAttribute>()));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/metrics")]
    [InlineData("/api/v1/clusters")]
    public async Task Request_AuthModeNone_ServedWithoutCredentials(string path)
    {
        await using var host = await PortholeTestHost.StartAsync(options: new Porthole.Hosting.PortholeOptions { Demo = false });
        using var client = host.Client();

        using var response = await client.GetAsync(path);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
