namespace Porthole.Clusters.Caching;

internal sealed partial class SharedWatch
{
    private readonly List<(string Type, CachedObject Object, byte[] Payload)> _batch = [];
    private int _batchBytes;
    private ITimer? _batchTimer;

    /// <summary>
    /// Live events (and a relist's differences) wait up to <see cref="Hub.HubOptions.WatchBatchWindow"/>
    /// and go out together: one event as itself, several as one BATCH payload, serialized once
    /// for every subscriber. A full batch (<see cref="Hub.HubOptions.WatchBatchEvents"/> events
    /// or <see cref="Hub.HubOptions.WatchBatchBytes"/> bytes) goes at once. Caller holds the lock.
    /// </summary>
    private void QueueEvent(string type, CachedObject obj, byte[]? payload = null)
    {
        if (Ended)
        {
            return;
        }

        payload ??= WatchPayloads.Event(type, obj);
        _batch.Add((type, obj, payload));
        _batchBytes += payload.Length;
        if (_batch.Count >= _options.WatchBatchEvents || _batchBytes >= _options.WatchBatchBytes || _options.WatchBatchWindow <= TimeSpan.Zero)
        {
            FlushBatch();
        }
        else if (_batch.Count == 1)
        {
            _batchTimer ??= _time.CreateTimer(static state => ((SharedWatch)state!).BatchWindowEnded(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _batchTimer.Change(_options.WatchBatchWindow, Timeout.InfiniteTimeSpan);
        }
    }

    private void BatchWindowEnded()
    {
        lock (_gate)
        {
            FlushBatch();
        }
    }

    /// <summary>Sends the waiting events, before anything that must follow them. Caller holds the lock.</summary>
    private void FlushBatch()
    {
        switch (_batch.Count)
        {
            case 0:
                return;
            case 1:
                var (type, obj, payload) = _batch[0];
                Broadcast(payload, new WatchDelivery(type, [obj]));
                break;
            default:
                var events = _batch.ToArray();
                Broadcast(
                    WatchPayloads.Batch(events.Select(e => e.Payload), events[^1].Object.ResourceVersion),
                    new WatchDelivery(WatchPayloads.BatchType, [.. events.Select(e => e.Object)], [.. events.Select(e => e.Type)]));
                break;
        }

        _batch.Clear();
        _batchBytes = 0;
    }

    /// <summary>The watch ends: waiting events are dropped with it. Caller holds the lock.</summary>
    private void StopBatching()
    {
        _batchTimer?.Dispose();
        _batchTimer = null;
        _batch.Clear();
        _batchBytes = 0;
    }
}
