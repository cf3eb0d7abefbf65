using System.Net;
using Porthole.Hosting;
using Porthole.KubeSim.Hosting;

namespace Porthole.Clusters;

/// <summary>
/// Demo mode (<c>--demo</c>, or no cluster configured at all): starts KubeSim in-process on a
/// loopback port and registers its kubeconfig as Porthole's clusters. The kubeconfig (contexts
/// sim-admin, sim-viewer, sim-dev, sim-porthole) is also written to <c>{dataDir}/demo.kubeconfig</c>
/// so kubectl can reach the demo cluster; PORTHOLE_DEMO_PODS adds bare pods in namespace "load".
/// </summary>
internal sealed partial class DemoClusterService(ClusterRegistry registry, PortholeOptions options, ILoggerFactory loggerFactory, ILogger<DemoClusterService> logger) : IHostedService, IAsyncDisposable
{
    private readonly PrefixedLoggerFactory _logs = new(loggerFactory, "KubeSim.");
    private SimServer? _sim;

    /// <summary>The running simulator, for tests that seed it directly.</summary>
    internal SimServer? Sim => _sim;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var kubeconfig = Path.GetFullPath(Path.Combine(options.DataDir, "demo.kubeconfig"));
        _sim = await SimServer.StartAsync(
            new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), KubeconfigPath = kubeconfig, Pods = options.DemoPods },
            _logs,
            cancellationToken);
        registry.LoadKubeconfig(_sim.Kubeconfig);
        LogDemoStarted(logger, _sim.Url, kubeconfig);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_sim is { } sim)
        {
            _sim = null;
            await sim.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Demo mode: no cluster configured (or --demo), started the built-in KubeSim cluster at {Url}; kubectl --kubeconfig {Kubeconfig} reaches it")]
    private static partial void LogDemoStarted(ILogger logger, Uri url, string kubeconfig);
}
