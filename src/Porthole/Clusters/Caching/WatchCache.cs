using Porthole.Diagnostics;
using Porthole.Hub;

namespace Porthole.Clusters.Caching;

/// <summary>
/// The shared watch cache: one upstream list+watch per distinct <see cref="WatchKey"/>
/// (cluster, resource, namespace, selectors) across all users, made as the server's identity,
/// reference counted by its subscribers and stopped <see cref="HubOptions.WatchLinger"/> after
/// the last one leaves. Nobody joins without <see cref="WatchAccess"/> saying the user may
/// list and watch what the key covers. Where the server itself may not list and watch the key
/// (a least-privilege role without secrets or custom resources), the upstream is made as the
/// user instead and shared only by that same identity, never across users.
/// </summary>
public sealed class WatchCache(WatchAccess access, HubOptions options, PortholeMetrics metrics, TimeProvider time, ILogger<WatchCache> logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(WatchKey Key, string Owner), SharedWatch> _watches = [];

    /// <summary>Shared upstream watches open now (each is one list+watch on a cluster).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>
    /// The upstream watches open now: each key with whom it is made as (empty: the server's
    /// identity, shared; else <see cref="WatchAccess.SubjectOf"/> of the one user it serves).
    /// </summary>
    public IReadOnlyList<(WatchKey Key, string Owner)> Upstreams
    {
        get
        {
            lock (_gate)
            {
                return [.. _watches.Keys];
            }
        }
    }

    /// <summary>Subscribers across all shared watches.</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _watches.Values.Sum(w => w.SubscriberCount);
            }
        }
    }

    /// <summary>
    /// Joins (or starts) the shared watch for <paramref name="key"/> once the user of
    /// <paramref name="credential"/> may list and watch it; dispose the result to leave.
    /// </summary>
    /// <exception cref="HubProtocolException"><c>forbidden</c> when refused, <c>unavailable</c> when access could not be checked.</exception>
    public async Task<IDisposable> SubscribeAsync(Cluster cluster, KubeCredential credential, WatchKey key, IWatchSubscriber subscriber, CancellationToken cancellationToken)
    {
        if (key.Cluster != cluster.Name)
        {
            throw new ArgumentException("the key must name the cluster", nameof(key));
        }

        switch (await access.AllowedAsync(cluster, credential, key, cancellationToken))
        {
            case false:
                throw new HubProtocolException(HubErrors.Forbidden, WatchAccess.Refusal(key, "not allowed"));
            case null:
                throw new HubProtocolException(HubErrors.Unavailable, WatchAccess.Refusal(key, "could not check access (the access review failed; try again)"));
        }

        var upstream = await UpstreamCredentialAsync(cluster, credential, key, cancellationToken);
        var slot = SharedWatch.SlotOf(key, upstream);
        lock (_gate)
        {
            if (!_watches.TryGetValue(slot, out var watch) || !watch.Add(subscriber, credential))
            {
                if (slot.Owner.Length > 0)
                {
                    HubLog.WatchAsUser(logger, key.ToString());
                }

                watch = new SharedWatch(key, upstream, cluster, access, options, time, logger, metrics, Detach, LingerExpired);
                _watches[slot] = watch;
                watch.Add(subscriber, credential);
                watch.Start();
            }

            return new Lease(watch, subscriber);
        }
    }

    /// <summary>
    /// Whose list+watch serves the key: the server's when it may list and watch it (asked with a
    /// SelfSubjectAccessReview, cached like the users' answers), else the subscriber's own
    /// credential (impersonated, or the user's token). The server's identity is never used for
    /// what only the user may see.
    /// </summary>
    private async Task<KubeCredential> UpstreamCredentialAsync(Cluster cluster, KubeCredential credential, WatchKey key, CancellationToken cancellationToken)
    {
        if (credential is KubeCredential.ServerIdentity)
        {
            return credential;
        }

        switch (await access.AllowedAsync(cluster, KubeCredential.Server, key, cancellationToken))
        {
            case true:
                return KubeCredential.Server;
            case false:
                return credential;
            default:
                throw new HubProtocolException(HubErrors.Unavailable, WatchAccess.Refusal(key, "could not check the server's own access (the access review failed; try again)"));
        }
    }

    private void Detach(SharedWatch watch)
    {
        lock (_gate)
        {
            if (_watches.TryGetValue(watch.Slot, out var current) && current == watch)
            {
                _watches.Remove(watch.Slot);
            }
        }
    }

    private void LingerExpired(SharedWatch watch)
    {
        lock (_gate)
        {
            if (watch.SubscriberCount > 0 || !_watches.TryGetValue(watch.Slot, out var current) || current != watch)
            {
                return;
            }

            _watches.Remove(watch.Slot);
            _ = watch.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SharedWatch> all;
        lock (_gate)
        {
            all = [.. _watches.Values];
            _watches.Clear();
        }

        await Task.WhenAll(all.Select(w => w.StopAsync()));
    }

    private sealed class Lease(SharedWatch watch, IWatchSubscriber subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                watch.Remove(subscriber);
            }
        }
    }
}
