using Microsoft.AspNetCore.Http.Timeouts;
using Porthole.Hosting;
using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Builder;

public static class AppBuilderTimeoutExtensions
{
    /// <summary>The request-timeout policy of /api/v1/* (PORTHOLE_REQUEST_TIMEOUT).</summary>
    public const string ApiTimeoutPolicy = "porthole-api";

    /// <summary>
    /// Stage 13 services: ASP.NET Core's request timeouts. /api/v1/* endpoints carry the
    /// <see cref="ApiTimeoutPolicy"/> (see <see cref="MapPortholeApiGroup"/>); /ws and
    /// /api/sockjs are long-lived and carry none; a timed-out request gets 504 problem+json.
    /// </summary>
    public static IServiceCollection AddPortholeTimeouts(this IServiceCollection services, PortholeOptions options) =>
        services.AddRequestTimeouts(timeouts => timeouts.AddPolicy(ApiTimeoutPolicy, new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = context => Problems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "timeout",
                "Request timed out", $"The request did not complete within {options.RequestTimeout.TotalSeconds} s."),
        }));

    /// <summary>Stage 13: routing, then the per-endpoint request timeouts.</summary>
    public static IApplicationBuilder UsePortholeTimeouts(this IApplicationBuilder app) => app.UseRouting().UseRequestTimeouts();

    /// <summary>The /api/v1 route group: every endpoint in it has the API timeout.</summary>
    public static RouteGroupBuilder MapPortholeApiGroup(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1");
        group.WithRequestTimeout(ApiTimeoutPolicy);
        return group;
    }
}
