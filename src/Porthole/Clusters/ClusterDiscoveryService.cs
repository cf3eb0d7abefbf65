namespace Porthole.Clusters;

/// <summary>Runs every cluster's discovery loop once clusters are loaded, until the host stops.</summary>
internal sealed class ClusterDiscoveryService(ClusterRegistry registry) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
