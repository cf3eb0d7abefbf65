using Porthole.Hosting;
using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class PipelineExtensions
{
    /// <summary>Registers what the 13 pipeline stages need, configured from <see cref="PortholeOptions"/>.</summary>
    public static WebApplicationBuilder AddPortholePipeline(this WebApplicationBuilder builder)
    {
        var options = builder.Services.Select(d => d.ImplementationInstance).OfType<PortholeOptions>().LastOrDefault()
            ?? throw new InvalidOperationException("AddPortholeHosting must come before AddPortholePipeline");
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.GetRequestId();
            context.ProblemDetails.Extensions.TryAdd("code", Problems.CodeFor(context.ProblemDetails.Status));
            context.ProblemDetails.Extensions.Remove("traceId");
        });
        builder.Services.AddPortholeCors(options);
        builder.Services.AddPortholeRateLimiter(options);
        builder.Services.AddPortholeCompression();
        builder.Services.AddPortholeTimeouts(options);
        return builder;
    }

    /// <summary>The 13 stages, in the order of issue 4; metrics wrap everything after the request id;
    /// WebSockets are accepted after the rate limit and before the ETag stage (which leaves upgrades alone).</summary>
    public static IApplicationBuilder UsePortholePipeline(this IApplicationBuilder app) => app
        .UsePortholeRequestId()
        .UsePortholeMetrics()
        .UsePortholeRequestLogger()
        .UsePortholeRecovery()
        .UsePortholeSecurityHeaders()
        .UsePortholeCors()
        .UsePortholeRateLimiter()
        .UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) })
        .UsePortholeETag()
        .UsePortholeCompression()
        .UsePortholeAuth()
        .UsePortholeImpersonation()
        .UsePortholeCsrf()
        .UsePortholeBodyLimit()
        .UsePortholeTimeouts();
}
