using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Porthole.Hosting;
using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderRateLimiterExtensions
{
    /// <summary>
    /// Stage 6 services: ASP.NET Core's rate limiter with one token bucket per client IP
    /// (PORTHOLE_RATE_LIMIT tokens per second, PORTHOLE_RATE_BURST deep, no queue); a rejected
    /// request gets 429 problem+json with Retry-After.
    /// </summary>
    public static IServiceCollection AddPortholeRateLimiter(this IServiceCollection services, PortholeOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateBurst,
                    TokensPerPeriod = options.RateLimit,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Problems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "rate_limited",
                    "Too many requests", $"This client exceeded {options.RateLimit} requests per second; retry after {seconds} s."));
            };
        });

    /// <summary>Stage 6: the per-client-IP rate limit.</summary>
    public static IApplicationBuilder UsePortholeRateLimiter(this IApplicationBuilder app) => app.UseRateLimiter();
}
