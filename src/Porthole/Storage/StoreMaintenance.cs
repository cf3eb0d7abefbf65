namespace Porthole.Storage;

/// <summary>
/// Keeps the store tidy and watched: prunes revocations of sessions that have expired anyway,
/// shell session ids never bound and sign-in failure counts past their window (at start, then hourly), and while the store is down probes it
/// every second, so it is marked up again (and sign-ins and mutations resume) as soon as it answers.
/// </summary>
internal sealed partial class StoreMaintenance(PortholeStore store, TimeProvider time, ILogger<StoreMaintenance> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private ITimer? _prune;
    private ITimer? _probe;
    private int _probing;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Health.Changed += OnHealthChanged;
        _prune = time.CreateTimer(_ => _ = PruneAsync(), null, TimeSpan.Zero, TimeSpan.FromHours(1));
        _probe = time.CreateTimer(_ => _ = ProbeAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        LogOpened(logger, store.Provider, store.Description);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.Health.Changed -= OnHealthChanged;
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _prune?.Dispose();
        _probe?.Dispose();
    }

    private void OnHealthChanged(bool up)
    {
        if (up)
        {
            _probe?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            LogUp(logger, store.Provider, store.Description);
        }
        else
        {
            _probe?.Change(ProbeInterval, ProbeInterval);
            LogDown(logger, store.Provider, store.Description, store.Health.Down?.Error ?? "");
        }
    }

    private async Task ProbeAsync()
    {
        if (Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }

        try
        {
            await store.PingAsync("probe");
        }
        catch (Exception e) when (e is StoreUnavailableException or ObjectDisposedException)
        {
            // Still down: the next tick tries again.
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private async Task PruneAsync()
    {
        try
        {
            var now = time.GetUtcNow();
            var pruned = await store.PruneRevokedSessionsAsync(now) + await store.PruneShellTicketsAsync(now)
                + await store.PruneLoginFailuresAsync(now, Porthole.Auth.Local.LoginThrottle.Window);
            if (pruned > 0)
            {
                LogPruned(logger, pruned);
            }
        }
        catch (Exception e) when (e is StoreUnavailableException or ObjectDisposedException)
        {
            LogPruneFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Pruned {Count} expired session revocations, shell session ids and sign-in failure counts")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Pruning the store failed")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "Store: {Provider} at {Where}")]
    private static partial void LogOpened(ILogger logger, string provider, string where);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Error, Message = "Store unavailable ({Provider} at {Where}): {Error}; sign-ins and audited mutations are refused until it answers")]
    private static partial void LogDown(ILogger logger, string provider, string where, string error);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Information, Message = "Store available again ({Provider} at {Where})")]
    private static partial void LogUp(ILogger logger, string provider, string where);
}
