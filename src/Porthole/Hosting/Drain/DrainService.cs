using Microsoft.AspNetCore.Hosting.Server;
using Porthole.Diagnostics;

namespace Porthole.Hosting.Drain;

/// <summary>
/// The graceful drain on SIGTERM/SIGINT, within PORTHOLE_DRAIN_TIMEOUT (the host's shutdown
/// timeout), logged phase by phase: (1) the <see cref="ServerContext"/> is cancelled (background
/// loops and timers tied to it stop); (2) WebSockets are closed with 1001 within a
/// 1–10 s budget; (3) the listener stops accepting and in-flight requests finish; (4) the
/// background services stop (the host stops them after this service's StoppingAsync).
/// </summary>
internal sealed partial class DrainService(
    IServer server, ServerContext context, WebSocketTracker sockets, PortholeMetrics metrics, PortholeOptions options, TimeProvider time, ILogger<DrainService> logger)
    : IHostedLifecycleService
{
    private long _started;

    /// <summary>The WebSocket close budget: 40 % of the drain, at least 1 s and at most 10 s.</summary>
    public TimeSpan WebSocketBudget => TimeSpan.FromTicks(Math.Clamp(options.DrainTimeout.Ticks * 2 / 5, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _started = time.GetTimestamp();
        await context.CancelAsync();
        LogContextCancelled(logger);

        var open = sockets.Count;
        var (closed, aborted) = await sockets.CloseAllAsync(WebSocketBudget, time, cancellationToken);
        LogSocketsClosed(logger, open, closed, aborted, WebSocketBudget.TotalSeconds, Elapsed());

        LogStopAccepting(logger, metrics.InFlight);
        await server.StopAsync(cancellationToken);
        LogRequestsFinished(logger, Elapsed());
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        LogBackgroundStopped(logger, Elapsed());
        return Task.CompletedTask;
    }

    private double Elapsed() => Math.Round(time.GetElapsedTime(_started).TotalSeconds, 3);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Drain 1/4: server context cancelled, background work and timers stopping")]
    private static partial void LogContextCancelled(ILogger logger);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Drain 2/4: {Open} WebSockets: {Closed} closed with 1001, {Aborted} aborted (budget {Budget} s) at {Elapsed} s")]
    private static partial void LogSocketsClosed(ILogger logger, int open, int closed, int aborted, double budget, double elapsed);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Drain 3/4: listener closed to new connections, finishing {InFlight} in-flight requests")]
    private static partial void LogStopAccepting(ILogger logger, long inFlight);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Drain 3/4: in-flight requests finished at {Elapsed} s")]
    private static partial void LogRequestsFinished(ILogger logger, double elapsed);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Drain 4/4: background tasks stopped at {Elapsed} s")]
    private static partial void LogBackgroundStopped(ILogger logger, double elapsed);
}
