using System.Text.Json;
using Porthole.Clusters.Caching;

namespace Porthole.Hub.Channels;

internal sealed partial class LogsChannel
{
    /// <summary>
    /// Workload mode: the pods matching the selector come from the shared pod watch. Each
    /// started container instance (pod uid, container, restart count) gets one stream; pods in
    /// the first snapshot honour tailLines/sinceSeconds, later ones are read from their start.
    /// Without follow, the pods of the snapshot are read once and the channel ends.
    /// </summary>
    private async Task StreamWorkloadAsync(string selector, CancellationToken cancellationToken)
    {
        var pods = new PodTracker();
        var key = new WatchKey(cluster.Name, "", "v1", "pods", request.Namespace, selector, "");
        using var lease = await cache.SubscribeAsync(cluster, credential, key, pods, cancellationToken);
        var streams = new Dictionary<string, (Task Task, CancellationTokenSource Stop)>(StringComparer.Ordinal);
        var snapshotDone = false;
        try
        {
            await foreach (var change in pods.Changes.ReadAllAsync(cancellationToken))
            {
                if (change.Error is { } error)
                {
                    throw error;
                }

                var joinedLater = snapshotDone;
                snapshotDone |= change.Type == WatchPayloads.SnapshotType && !change.Continued;
                foreach (var pod in change.Objects)
                {
                    Apply(streams, change.Type, pod, joinedLater, cancellationToken);
                }

                if (request.Follow != true && snapshotDone)
                {
                    break;
                }
            }

            await Task.WhenAll(streams.Values.Select(s => s.Task));
        }
        finally
        {
            foreach (var s in streams.Values)
            {
                await s.Stop.CancelAsync();
                await s.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                s.Stop.Dispose();
            }
        }
    }

    /// <summary>Workload mode on the owner's selector, read as the user when the channel opens.</summary>
    private async Task StreamOwnerAsync(LogOwner owner, CancellationToken cancellationToken) =>
        await StreamWorkloadAsync(await owner.SelectorAsync(cluster, credential, request.Namespace, cancellationToken), cancellationToken);

    private void Apply(Dictionary<string, (Task Task, CancellationTokenSource Stop)> streams, string type, CachedObject cached, bool joinedLater, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(cached.Json);
        var pod = doc.RootElement;
        var podName = cached.Key[(cached.Key.IndexOf('/', StringComparison.Ordinal) + 1)..];
        if (type == WatchPayloads.Deleted)
        {
            foreach (var (id, stream) in streams.Where(s => s.Key.StartsWith(cached.Uid + "/", StringComparison.Ordinal)).ToList())
            {
                stream.Stop.Cancel();
                streams.Remove(id);
            }

            return;
        }

        foreach (var (container, restarts) in StartedContainers(pod))
        {
            var id = $"{cached.Uid}/{container}/{restarts}";
            if (streams.ContainsKey(id))
            {
                continue;
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var laterInstance = joinedLater || restarts > 0 && streams.Keys.Any(k => k.StartsWith($"{cached.Uid}/{container}/", StringComparison.Ordinal));
            streams[id] = (StreamQuietlyAsync(podName, container, laterInstance, stop.Token), stop);
        }
    }

    private async Task StreamQuietlyAsync(string pod, string container, bool joinedLater, CancellationToken cancellationToken)
    {
        try
        {
            await StreamAsync(pod, container, joinedLater, failChannel: false, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the pod went away or the channel closed
        }
        catch (HttpRequestException e)
        {
            HubLog.LogStreamEnded(logger, pod, container, e.Message);
        }
    }

    /// <summary>Containers that have started (running or terminated), with their restart count.</summary>
    private static IEnumerable<(string Container, int Restarts)> StartedContainers(JsonElement pod)
    {
        if (!pod.TryGetProperty("status", out var status) || !status.TryGetProperty("containerStatuses", out var statuses) || statuses.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var s in statuses.EnumerateArray())
        {
            var started = s.TryGetProperty("state", out var state) && (state.TryGetProperty("running", out _) || state.TryGetProperty("terminated", out _));
            if (started && s.TryGetProperty("name", out var name))
            {
                var restarts = s.TryGetProperty("restartCount", out var r) && r.TryGetInt32(out var n) ? n : 0;
                yield return (name.GetString() ?? "", restarts);
            }
        }
    }

    /// <summary>Receives pod changes from the shared watch into a queue the channel reads.</summary>
    private sealed class PodTracker : IWatchSubscriber
    {
        private readonly System.Threading.Channels.Channel<PodChange> _changes = System.Threading.Channels.Channel.CreateUnbounded<PodChange>(new() { SingleReader = true });

        public System.Threading.Channels.ChannelReader<PodChange> Changes => _changes.Reader;

        public void Deliver(byte[] payload, WatchDelivery delivery)
        {
            if (delivery.Type != WatchPayloads.Status)
            {
                var continued = delivery.Type == WatchPayloads.SnapshotType && payload.AsSpan().IndexOf("\"continued\":true"u8) >= 0;
                if (delivery.Type == WatchPayloads.SnapshotType)
                {
                    _changes.Writer.TryWrite(new PodChange(delivery.Type, delivery.Objects, continued, null));
                    return;
                }

                foreach (var (type, pod) in delivery.Events())
                {
                    _changes.Writer.TryWrite(new PodChange(type, [pod], false, null));
                }
            }
        }

        public void End(string code, string message) =>
            _changes.Writer.TryWrite(new PodChange("", [], false, new HubProtocolException(code, message)));
    }

    private sealed record PodChange(string Type, IReadOnlyList<CachedObject> Objects, bool Continued, HubProtocolException? Error);
}
