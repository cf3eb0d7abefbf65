namespace Porthole.Tests.Diagnostics;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterRequests_PrometheusCountersByRouteAndStatusAndLatencyHistogram()
    {
        await using var host = await PortholeTestHost.StartAsync(app => app.MapGet("/items/{name}", (string name) => name));
        using var client = host.Client();
        await client.GetStringAsync("/items/a");
        await client.GetStringAsync("/items/b");
        using (await client.GetAsync("/nowhere"))
        {
        }

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE porthole_http_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("porthole_http_requests_total{route=\"/items/{name}\",method=\"GET\",status=\"200\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("porthole_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE porthole_http_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("porthole_http_request_duration_seconds_bucket{route=\"/items/{name}\",le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("porthole_http_request_duration_seconds_count{route=\"/items/{name}\"} 2\n", text, StringComparison.Ordinal);
    }
}
