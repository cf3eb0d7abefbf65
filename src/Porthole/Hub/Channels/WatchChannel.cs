using Porthole.Clusters;
using Porthole.Clusters.Caching;

namespace Porthole.Hub.Channels;

/// <summary>
/// A <c>watch:</c> channel: a subscriber of the shared watch for its filter, once its user may
/// list and watch it (a refusal is the channel's only frame: <c>error</c> forbidden). Payloads come
/// serialized from the shared watch and go into the connection's queue without waiting; a
/// client too slow for its queue is closed by the connection.
/// </summary>
internal sealed class WatchChannel(string name, IHubOutput output, WatchCache cache, Cluster cluster, KubeCredential credential, WatchKey key) : IHubChannel, IWatchSubscriber
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubProtocolException? _error;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var lease = await cache.SubscribeAsync(cluster, credential, key, this, cancellationToken);
        await _ended.Task.WaitAsync(cancellationToken);
        if (_error is not null)
        {
            throw _error;
        }
    }

    public void Deliver(byte[] payload, WatchDelivery delivery) =>
        output.TrySend(HubMessageTypes.ResourceWatch, name, payload, snapshot: delivery.Type == WatchPayloads.SnapshotType);

    public void End(string code, string message)
    {
        _error = new HubProtocolException(code, message);
        _ended.TrySetResult();
    }
}
