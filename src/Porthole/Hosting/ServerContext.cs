namespace Porthole.Hosting;

/// <summary>
/// The server context: cancelled in the first phase of the graceful drain, before WebSockets
/// close and before the listener stops. Background loops, timers and long-lived sockets tie
/// their work to <see cref="Stopping"/> so they stop first.
/// </summary>
public sealed class ServerContext : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken Stopping => _stopping.Token;

    internal Task CancelAsync() => _stopping.CancelAsync();

    public void Dispose() => _stopping.Dispose();
}
