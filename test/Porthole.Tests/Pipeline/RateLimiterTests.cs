using System.Net;

namespace Porthole.Tests.Pipeline;

public sealed class RateLimiterTests
{
    [Fact]
    public async Task Requests_OverBurst_429ProblemWithRetryAfter()
    {
        // One token per second, two deep: well within 50 back-to-back requests the bucket runs dry.
        await using var host = await PortholeTestHost.StartAsync(options: new() { RateLimit = 1, RateBurst = 2 });
        using var client = host.Client();

        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 50 && rejected is null; i++)
        {
            var response = await client.GetAsync("/livez");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(rejected);
        using (rejected)
        {
            await ProblemJson.AssertProblemAsync(rejected, 429, "rate_limited");
            var retryAfter = rejected.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.True(retryAfter >= TimeSpan.FromSeconds(1));
        }
    }
}
