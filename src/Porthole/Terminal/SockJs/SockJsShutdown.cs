namespace Porthole.Terminal.SockJs;

/// <summary>On shutdown every SockJS terminal is told why it ends, so no client waits for a dead server.</summary>
internal sealed class SockJsShutdown(IHostApplicationLifetime lifetime, SockJsSessions sessions) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => sessions.CloseAll(2, "server shutting down"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
