using System.Text.Json.Nodes;
using Porthole.Diagnostics;
using Porthole.Hub;

namespace Porthole.Clusters.Caching;

/// <summary>
/// One upstream list+watch shared by every subscriber with the same <see cref="WatchKey"/>:
/// keeps the current objects (trimmed of managedFields, serialized once), gives a joining
/// subscriber a SNAPSHOT, then fans out ADDED / MODIFIED / DELETED (coalesced into BATCH
/// payloads, SharedWatch.Batch.cs). Made as <see cref="Upstream"/>: the server's identity
/// whoever subscribes, or one user's when the server may not list and watch the key; each
/// subscriber keeps its own credential, whose access is re-checked (SharedWatch.Access.cs).
/// Resumes from the last resourceVersion after a drop, relists on 410 Expired and sends
/// exactly the differences, and backs off with jitter while the cluster is unreachable
/// (STATUS frames say so).
/// </summary>
internal sealed partial class SharedWatch
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IWatchSubscriber, KubeCredential> _subscribers = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stop = new();
    private readonly Cluster _cluster;
    private readonly WatchAccess _access;
    private readonly HubOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PortholeMetrics _metrics;
    private readonly Action<SharedWatch> _detach;
    private readonly Action<SharedWatch> _lingerExpired;
    private Dictionary<string, CachedObject> _objects = new(StringComparer.Ordinal);
    private string _resourceVersion = "";
    private bool _synced;
    private byte[]? _status;
    private ITimer? _linger;
    private Task _loop = Task.CompletedTask;

    public SharedWatch(WatchKey key, KubeCredential upstream, Cluster cluster, WatchAccess access, HubOptions options, TimeProvider time, ILogger logger, PortholeMetrics metrics, Action<SharedWatch> detach, Action<SharedWatch> lingerExpired)
    {
        Key = key;
        Upstream = upstream;
        _cluster = cluster;
        _access = access;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _detach = detach;
        _lingerExpired = lingerExpired;
    }

    public WatchKey Key { get; }

    /// <summary>Whose list and watch this is: <see cref="KubeCredential.Server"/> (shared by everyone allowed) or one user's.</summary>
    public KubeCredential Upstream { get; }

    /// <summary>The cache's key for this watch: the key, and the user it is made as (empty: the server).</summary>
    public (WatchKey Key, string Owner) Slot => SlotOf(Key, Upstream);

    /// <summary>The cache's key for a watch of <paramref name="key"/> made as <paramref name="upstream"/>.</summary>
    public static (WatchKey Key, string Owner) SlotOf(WatchKey key, KubeCredential upstream) =>
        (key, upstream is KubeCredential.ServerIdentity ? "" : WatchAccess.SubjectOf(upstream));

    /// <summary>True once stopped: a new subscriber for the key needs a new shared watch.</summary>
    public bool Ended { get; private set; }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>
    /// Adds a subscriber (whose access was checked) with the credential its access is re-checked
    /// with; it gets the snapshot at once when the list is in. False once ended.
    /// </summary>
    public bool Add(IWatchSubscriber subscriber, KubeCredential credential)
    {
        lock (_gate)
        {
            if (Ended)
            {
                return false;
            }

            // Events waiting for their batch are already in the objects the snapshot shows:
            // they go to the subscribers before this one joins.
            FlushBatch();
            _linger?.Dispose();
            _linger = null;
            _subscribers.Add(subscriber, credential);
            if (_synced)
            {
                SendSnapshot(subscriber);
            }

            if (_status is not null)
            {
                subscriber.Deliver(_status, new WatchDelivery(WatchPayloads.Status, []));
            }

            return true;
        }
    }

    /// <summary>Removes a subscriber; the last one out starts the linger timer.</summary>
    public void Remove(IWatchSubscriber subscriber)
    {
        lock (_gate)
        {
            if (_subscribers.Remove(subscriber) && _subscribers.Count == 0 && !Ended)
            {
                _linger = _time.CreateTimer(_ => _lingerExpired(this), null, _options.WatchLinger, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Stops the upstream watch (the cache decided; no subscriber is left).</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            Ended = true;
            _linger?.Dispose();
            _linger = null;
            StopBatching();
        }

        _stop.Cancel();
        return _loop;
    }

    /// <summary>Ends every subscriber with an error and detaches from the cache.</summary>
    private void EndAll(string code, string message)
    {
        HubLog.WatchEnded(_logger, Key.ToString(), code, message);
        _detach(this);
        List<IWatchSubscriber> ended;
        lock (_gate)
        {
            Ended = true;
            StopBatching();
            ended = [.. _subscribers.Keys];
            _subscribers.Clear();
        }

        foreach (var subscriber in ended)
        {
            subscriber.End(code, message);
        }
    }

    private void SendSnapshot(IWatchSubscriber subscriber)
    {
        var all = _objects.Values.ToList();
        var batch = Math.Max(1, _options.SnapshotBatch);
        for (var start = 0; start == 0 || start < all.Count; start += batch)
        {
            var part = all.GetRange(start, Math.Min(batch, all.Count - start));
            var continued = start + batch < all.Count;
            subscriber.Deliver(WatchPayloads.Snapshot(part, _resourceVersion, continued), new WatchDelivery(WatchPayloads.SnapshotType, part));
        }
    }

    /// <summary>Fans a payload out to every subscriber. Caller holds the lock.</summary>
    private void Broadcast(byte[] payload, WatchDelivery delivery)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Deliver(payload, delivery);
        }
    }

    private void SetStatus(string status, string? message)
    {
        lock (_gate)
        {
            FlushBatch();
            var payload = WatchPayloads.StatusPayload(status, message, _resourceVersion);
            _status = status == WatchPayloads.Connected ? null : payload;
            Broadcast(payload, new WatchDelivery(WatchPayloads.Status, []));
        }
    }

    /// <summary>A list result: replaces the objects; subscribers get a snapshot (first list) or the differences (relist).</summary>
    private void ApplyList(Dictionary<string, CachedObject> fresh, string resourceVersion)
    {
        lock (_gate)
        {
            var old = _objects;
            _objects = fresh;
            _resourceVersion = resourceVersion;
            if (!_synced)
            {
                _synced = true;
                foreach (var subscriber in _subscribers.Keys)
                {
                    SendSnapshot(subscriber);
                }

                return;
            }

            foreach (var (key, gone) in old)
            {
                if (!fresh.TryGetValue(key, out var now) || now.Uid != gone.Uid)
                {
                    QueueEvent(WatchPayloads.Deleted, gone);
                }
            }

            foreach (var (key, now) in fresh)
            {
                if (!old.TryGetValue(key, out var was) || was.Uid != now.Uid)
                {
                    QueueEvent(WatchPayloads.Added, now);
                }
                else if (was.ResourceVersion != now.ResourceVersion)
                {
                    QueueEvent(WatchPayloads.Modified, now);
                }
            }
        }
    }

    /// <summary>A watch event: updates the objects and queues the event for its batch.</summary>
    private void ApplyEvent(string type, JsonObject obj)
    {
        var cached = WatchPayloads.Cache(obj);
        var payload = WatchPayloads.Event(type, cached);
        lock (_gate)
        {
            if (type == WatchPayloads.Deleted)
            {
                _objects.Remove(cached.Key);
            }
            else
            {
                _objects[cached.Key] = cached;
            }

            _resourceVersion = cached.ResourceVersion;
            QueueEvent(type, cached, payload);
        }
    }

    private void ApplyBookmark(string resourceVersion)
    {
        lock (_gate)
        {
            _resourceVersion = resourceVersion;
        }
    }
}
