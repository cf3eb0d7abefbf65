using System.Globalization;
using System.Threading.Channels;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Storage;

public sealed partial class ObjectStore
{
    private readonly WatchEvent[] _history;
    private readonly List<StoreWatch> _watchers = [];
    private int _historyStart;
    private int _historyCount;
    private long _compactedRv;

    /// <summary>The newest resourceVersion no longer in the watch history.</summary>
    public long CompactedResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _compactedRv;
            }
        }
    }

    /// <summary>Number of open watches (HTTP watches and in-process controllers).</summary>
    public int WatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>
    /// Opens a watch on one resource (or every resource when <paramref name="type"/> is null)
    /// that first replays retained events after <paramref name="sinceRv"/> (0: only new ones).
    /// Throws 410 Expired when that version is older than the retained history.
    /// A bounded watch whose reader falls behind by <paramref name="capacity"/> events is closed,
    /// as the API server closes a watcher too slow to keep up.
    /// </summary>
    public StoreWatch Watch(ResourceType? type, long sinceRv, int capacity = 10_000)
    {
        lock (_gate)
        {
            if (sinceRv > 0 && sinceRv < _compactedRv)
            {
                throw TooOld(sinceRv);
            }

            var watch = new StoreWatch(this, type?.StorageKey, capacity);
            if (sinceRv > 0)
            {
                for (var i = 0; i < _historyCount; i++)
                {
                    var e = _history[(_historyStart + i) % _history.Length];
                    if (e.ResourceVersion > sinceRv)
                    {
                        watch.Offer(e);
                    }
                }
            }

            _watchers.Add(watch);
            return watch;
        }
    }

    /// <summary>Forgets all retained history, so any watch from an older version gets 410 Expired.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _historyStart = 0;
            _historyCount = 0;
            _compactedRv = _rv;
        }
    }

    /// <summary>
    /// Ends every open watch (fault injection): readers drain what they were sent, then see the
    /// channel complete and must watch again. Returns how many were closed.
    /// </summary>
    public int CloseWatches()
    {
        lock (_gate)
        {
            var count = _watchers.Count;
            foreach (var watch in _watchers)
            {
                watch.Close();
            }

            _watchers.Clear();
            return count;
        }
    }

    internal ApiException TooOld(long sinceRv) =>
        ApiException.Gone($"too old resource version: {sinceRv.ToString(CultureInfo.InvariantCulture)} ({_compactedRv.ToString(CultureInfo.InvariantCulture)})");

    internal void Unregister(StoreWatch watch)
    {
        lock (_gate)
        {
            _watchers.Remove(watch);
        }
    }

    private void Publish(WatchEvent e)
    {
        if (_historyCount == _history.Length)
        {
            _compactedRv = _history[_historyStart].ResourceVersion;
            _historyStart = (_historyStart + 1) % _history.Length;
            _historyCount--;
        }

        _history[(_historyStart + _historyCount) % _history.Length] = e;
        _historyCount++;
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            _watchers[i].Offer(e);
        }
    }
}

/// <summary>An open store watch. Read <see cref="Events"/>; dispose to stop.</summary>
public sealed class StoreWatch : IDisposable
{
    private readonly ObjectStore _store;
    private readonly string? _storageKey;
    private readonly Channel<WatchEvent> _channel;

    internal StoreWatch(ObjectStore store, string? storageKey, int capacity)
    {
        _store = store;
        _storageKey = storageKey;
        _channel = capacity > 0
            ? Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    /// <summary>True once the watch was closed because its reader fell too far behind.</summary>
    public bool Overflowed { get; private set; }

    internal void Offer(WatchEvent e)
    {
        if (_storageKey is not null && e.StorageKey != _storageKey)
        {
            return;
        }

        if (!_channel.Writer.TryWrite(e) && !Overflowed)
        {
            Overflowed = true;
            _channel.Writer.TryComplete();
        }
    }

    internal void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _store.Unregister(this);
        _channel.Writer.TryComplete();
    }
}
