using Porthole.Storage;

namespace Porthole.Auth.Sessions;

/// <summary>
/// With a shared (PostgreSQL) store: keeps this replica's revocation mirror in step with the
/// others. It LISTENs for the NOTIFY that every sign-out commits with, and reloads the whole list
/// once the LISTEN is in place (after every reconnect too, so nothing revoked while it was away is
/// missed) and every <see cref="Resync"/> as a fallback. A lost connection is retried (100 ms,
/// doubling to 2 s) without a restart. While the database is down no replica can sign anyone out,
/// so the mirror stays as it was.
/// </summary>
internal sealed partial class RevocationSync(SessionManager sessions, PortholeStore store, TimeProvider time, ILogger<RevocationSync> logger) : BackgroundService
{
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.ListenForRevocationsAsync(
                    async ct =>
                    {
                        await sessions.LoadRevokedAsync(ct);
                        delay = TimeSpan.FromMilliseconds(100);
                        if (lost)
                        {
                            LogListening(logger, sessions.RevokedCount);
                            lost = false;
                        }
                    },
                    revoked => sessions.AddRevoked(revoked.Id, revoked.ExpiresAt),
                    sessions.LoadRevokedAsync,
                    Resync,
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreUnavailableException e)
            {
                if (!lost)
                {
                    LogLost(logger, e.Message);
                    lost = true;
                }

                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 1231, Level = LogLevel.Warning, Message = "Revocation listener lost the database, reconnecting: {Reason}")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 1232, Level = LogLevel.Information, Message = "Revocation listener back; {Count} revocations mirrored")]
    private static partial void LogListening(ILogger logger, int count);
}
