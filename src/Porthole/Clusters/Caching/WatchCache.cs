using Porthole.Diagnostics;
using Porthole.Hub;

namespace Porthole.Clusters.Caching;

/// <summary>
/// The shared watch cache: one upstream list+watch per distinct <see cref="WatchKey"/>
/// (cluster, identity, resource, namespace, selectors), made as that identity, reference
/// counted by its subscribers and stopped <see cref="HubOptions.WatchLinger"/> after the last
/// one leaves.
/// </summary>
public sealed class WatchCache(HubOptions options, PortholeMetrics metrics, TimeProvider time, ILogger<WatchCache> logger) : IAsyncDisposable
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

    /// <summary>Joins (or starts) the shared watch for <paramref name="key"/>; dispose the result to leave.</summary>
    public IDisposable Subscribe(Cluster cluster, KubeCredential credential, WatchKey key, IWatchSubscriber subscriber)
    {
        if (key.Identity != WatchKey.IdentityOf(credential) || key.Cluster != cluster.Name)
        {
            throw new ArgumentException("the key must name the cluster and identity of the credential", nameof(key));
        }

        lock (_gate)
        {
            if (!_watches.TryGetValue(key, out var watch) || !watch.Add(subscriber))
            {
                watch = new SharedWatch(key, cluster, credential, options, time, logger, metrics, Detach);
                _watches[key] = watch;
                watch.Add(subscriber);
                watch.Start();
            }

            return new Lease(this, watch, subscriber);
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

    private sealed class Lease(WatchCache cache, SharedWatch watch, IWatchSubscriber subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                watch.Remove(subscriber, cache.LingerExpired);
            }
        }
    }
}
