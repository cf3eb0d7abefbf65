using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Hosting;

public sealed partial class SimServer
{
    /// <summary>Starts the control loops: controllers (GC, namespaces, CRDs) and the kubelet; warms the OpenAPI documents.</summary>
    private static IAsyncDisposable[] StartBackground(Server.KubeSimContext sim, ILogger logger)
    {
        sim.Controllers.Start();
        var kubelet = new SimKubelet(sim.Store, sim.Registry, sim.Time, new KubeletOptions());
        _ = kubelet.StartAsync(CancellationToken.None);
        _ = Task.Run(() => sim.OpenApi.V3Index());
        var disruption = new Controllers.Disruption.DisruptionController(sim.Store, sim.Registry, sim.Time, logger);
        disruption.Start();
        return [sim.Controllers, kubelet, disruption];
    }
}
