using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Hosting;

public sealed partial class SimServer
{
    /// <summary>Starts the control loops: controllers (GC, namespaces, CRDs), the workload, batch, disruption and quota controllers and the kubelet; warms the OpenAPI documents.</summary>
    private static IAsyncDisposable[] StartBackground(Server.KubeSimContext sim, ILogger logger)
    {
        sim.Controllers.Start();
        var workloads = new Controllers.Workloads.WorkloadController(sim.Store, sim.Registry, sim.Controllers.Deleter, sim.Time, logger);
        workloads.Start();
        var kubelet = new SimKubelet(sim.Store, sim.Registry, sim.Time, sim.Options.Kubelet);
        sim.Kubelet = kubelet;
        _ = kubelet.StartAsync(CancellationToken.None);
        var batch = Controllers.Batch.BatchControllers.Start(sim, logger);
        _ = Task.Run(() => sim.OpenApi.V3Index());
        var disruption = new Controllers.Disruption.DisruptionController(sim.Store, sim.Registry, sim.Time, logger);
        disruption.Start();
        var quotas = new Controllers.Quota.ResourceQuotaController(sim.Store, sim.Registry, sim.Quotas, sim.Time, logger);
        quotas.Start();
        return [batch, workloads, sim.Controllers, kubelet, disruption, quotas];
    }
}
