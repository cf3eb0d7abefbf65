using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;

namespace Porthole.Tests.Pipeline;

public sealed class TimeoutTests
{
    [Fact]
    public async Task ApiRequest_SlowerThanTimeout_504Problem()
    {
        // The endpoint never finishes on its own: only the timeout can end it.
        await using var host = await PortholeTestHost.StartAsync(
            app => app.MapPortholeApiGroup().MapGet("/slow", async (HttpContext c) => await Task.Delay(Timeout.Infinite, c.RequestAborted)),
            new() { RequestTimeout = TimeSpan.FromMilliseconds(200) });
        using var client = host.Client();

        using var response = await client.GetAsync("/api/v1/slow");

        await ProblemJson.AssertProblemAsync(response, 504, "timeout");
    }

    [Theory]
    [InlineData("/api/v1/timeout-probe", true)]
    [InlineData("/healthz-like", false)]
    public async Task Route_TimeoutRule_MatchesRouteTable(string path, bool expectTimeout)
    {
        static string Probe(HttpContext c) => (c.Features.Get<IHttpRequestTimeoutFeature>() is not null).ToString();
        await using var host = await PortholeTestHost.StartAsync(app =>
        {
            app.MapPortholeApiGroup().MapGet("/timeout-probe", Probe);
            app.MapGet("/healthz-like", Probe);
        });
        using var client = host.Client();

        Assert.Equal(expectTimeout.ToString(), await client.GetStringAsync(path));
    }

    /// <summary>The long-lived endpoints (the hub and SockJS, mapped by the real host) carry no request timeout.</summary>
    [Theory]
    [InlineData("/ws")]
    [InlineData("/api/sockjs")]
    public async Task Route_LongLivedEndpoints_NoTimeout(string prefix)
    {
        await using var host = await PortholeTestHost.StartAsync();
        var endpoints = host.App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.Null(e.Metadata.GetMetadata<RequestTimeoutAttribute>()));
        Assert.All(endpoints, e => Assert.Null(e.Metadata.GetMetadata<RequestTimeoutPolicy>()));
    }
}
