using Porthole.Hosting;

namespace Porthole.Clusters;

/// <summary>Runs every cluster's discovery loop once clusters are loaded, until the host stops.</summary>
/// <remarks>The loops stop at the first drain phase (the server context), not when the host gets to this service.</remarks>
internal sealed class ClusterDiscoveryService(ClusterRegistry registry, ServerContext server) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, server.Stopping);
        var stoppingToken = linked.Token;
        try
        {
            await registry.WhenLoaded.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await Task.WhenAll(registry.Clusters.Select(c => Task.Run(() => c.Discovery.RunAsync(stoppingToken), stoppingToken)));
    }
}
