namespace Porthole.Storage;

/// <summary>Prunes revocations of sessions that have expired anyway: at start, then hourly.</summary>
internal sealed partial class StoreMaintenance(PortholeStore store, TimeProvider time, ILogger<StoreMaintenance> logger) : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Prune(), null, TimeSpan.Zero, TimeSpan.FromHours(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Prune()
    {
        try
        {
            var pruned = store.PruneRevokedSessions(time.GetUtcNow());
            if (pruned > 0)
            {
                LogPruned(logger, pruned);
            }
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException)
        {
            LogPruneFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Pruned {Count} expired session revocations")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Pruning expired session revocations failed")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
