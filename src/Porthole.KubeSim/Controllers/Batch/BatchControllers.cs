using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Controllers.Endpoints;
using Porthole.KubeSim.Server;

namespace Porthole.KubeSim.Controllers.Batch;

/// <summary>Starts the Job, CronJob and Endpoints/EndpointSlice controllers and stops them together.</summary>
internal sealed class BatchControllers : IAsyncDisposable
{
    private readonly ControllerLoop[] _loops;

    private BatchControllers(ControllerLoop[] loops)
    {
        _loops = loops;
    }

    public static BatchControllers Start(KubeSimContext sim, ILogger logger)
    {
        var backOff = sim.Options.Kubelet.BackOffBase;
        var controllers = new BatchControllers(
        [
            new JobController(sim, logger, backOff),
            new CronJobController(sim, logger),
            new EndpointsController(sim, logger),
        ]);
        foreach (var loop in controllers._loops)
        {
            loop.Start();
        }

        return controllers;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var loop in _loops)
        {
            await loop.DisposeAsync();
        }
    }
}
