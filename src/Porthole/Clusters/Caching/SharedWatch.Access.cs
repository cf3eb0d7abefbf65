using Porthole.Hub;

namespace Porthole.Clusters.Caching;

internal sealed partial class SharedWatch
{
    /// <summary>
    /// Kubernetes does not end open watches when RBAC changes, and this one is made as the
    /// server anyway: every <see cref="HubOptions.AccessRecheck"/> each subscriber's right to
    /// list and watch is asked again through <see cref="WatchAccess"/> (once per distinct
    /// subject, answers cached no longer than the recheck period), and a subscriber refused
    /// is ended with <c>forbidden</c> alone; the others stay. A review that fails is asked
    /// again next round.
    /// </summary>
    private async Task AccessLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.AccessRecheck, _time, cancellationToken);
            List<KeyValuePair<IWatchSubscriber, KubeCredential>> current;
            lock (_gate)
            {
                current = [.. _subscribers];
            }

            foreach (var subject in current.GroupBy(s => WatchAccess.SubjectOf(s.Value), StringComparer.Ordinal))
            {
                if (await _access.AllowedAsync(_cluster, subject.First().Value, Key, cancellationToken) == false)
                {
                    foreach (var (subscriber, _) in subject)
                    {
                        Revoke(subscriber);
                    }
                }
            }
        }
    }

    private void Revoke(IWatchSubscriber subscriber)
    {
        lock (_gate)
        {
            if (!_subscribers.ContainsKey(subscriber))
            {
                return;
            }
        }

        Remove(subscriber);
        HubLog.SubscriberRevoked(_logger, Key.ToString());
        subscriber.End(HubErrors.Forbidden, WatchAccess.Refusal(Key, "access was revoked"));
    }
}
