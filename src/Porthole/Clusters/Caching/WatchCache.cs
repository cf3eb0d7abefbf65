using Porthole.Diagnostics;
using Porthole.Hub;

namespace Porthole.Clusters.Caching;

/// <summary>
/// The shared watch cache: one upstream list+watch per distinct <see cref="WatchKey"/>
/// (cluster, resource, namespace, selectors) across all users, made as the server's identity,
/// reference counted by its subscribers and stopped <see cref="HubOptions.WatchLinger"/> after
/// the last one leaves. Nobody joins without <see cref="WatchAccess"/> saying the user may
/// list and watch what the key covers.
/// </summary>
public sealed class WatchCache(WatchAccess access, HubOptions options, PortholeMetrics metrics, TimeProvider time, ILogger<WatchCache> logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<WatchKey, SharedWatch> _watches = [];

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

        lock (_gate)
        {
            if (!_watches.TryGetValue(key, out var watch) || !watch.Add(subscriber, credential))
            {
                watch = new SharedWatch(key, cluster, access, options, time, logger, metrics, Detach, LingerExpired);
                _watches[key] = watch;
                watch.Add(subscriber, credential);
                watch.Start();
            }

            return new Lease(watch, subscriber);
        }
    }

    private void Detach(SharedWatch watch)
    {
        lock (_gate)
        {
            if (_watches.TryGetValue(watch.Key, out var current) && current == watch)
            {
                _watches.Remove(watch.Key);
            }
        }
    }

    private void LingerExpired(SharedWatch watch)
    {
        lock (_gate)
        {
            if (watch.SubscriberCount > 0 || !_watches.TryGetValue(watch.Key, out var current) || current != watch)
            {
                return;
            }

            _watches.Remove(watch.Key);
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
