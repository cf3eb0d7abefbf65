namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Every feature's services and endpoints, in one place, so the server, the test host and the
/// bench compose Porthole the same way (a feature added here reaches all three).
/// </summary>
public static class PortholeCompositionExtensions
{
    public static WebApplicationBuilder AddPortholeFeatures(this WebApplicationBuilder builder) =>
        builder
            .AddPortholeClusters()
            .AddPortholeStorage()
            .AddPortholeAuth()
            .AddPortholePipeline()
            .AddPortholeDiagnostics()
            .AddPortholeTerminal()
            .AddPortholeHub()
            .AddPortholeWeb();

    public static IEndpointRouteBuilder MapPortholeEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints
            .MapPortholeDiagnostics()
            .MapPortholeApi()
            .MapPortholeAuth()
            .MapPortholePreferences()
            .MapPortholeAudit()
            .MapPortholeTerminal()
            .MapPortholeHub()
            .MapPortholeWeb();
}
