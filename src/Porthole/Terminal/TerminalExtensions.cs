using Microsoft.Extensions.Options;
using Porthole.Terminal;
using Porthole.Terminal.SockJs;

namespace Microsoft.AspNetCore.Builder;

public static class TerminalExtensions
{
    /// <summary>The terminal exec core, the kubecube shell session ids and the SockJS server.</summary>
    public static WebApplicationBuilder AddPortholeTerminal(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TerminalClusterAccess>();
        builder.Services.AddSingleton<TerminalExecutor>();
        builder.Services.AddSingleton<TerminalRecordings>();
        builder.Services.AddSingleton<ShellTickets>();
        builder.Services.AddSingleton(new SockJsOptions());
        builder.Services.AddSingleton<ISockJsHandler, SockJsTerminalHandler>();
        builder.Services.AddSingleton<SockJsSessions>();
        builder.Services.AddHostedService<SockJsShutdown>();
        return builder;
    }

    /// <summary>kubecube-webconsole: the shell session API under /api/v1 and SockJS under /api/sockjs; the recordings API.</summary>
    public static IEndpointRouteBuilder MapPortholeTerminal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortholeRecordings();
        endpoints.MapPortholeApiGroup().MapGet(ShellApi.Route, ShellApi.GetShellAsync).WithName("kubecube-shell");
        SockJsEndpoints.Map(endpoints, endpoints.ServiceProvider.GetRequiredService<SockJsOptions>());
        return endpoints;
    }
}
