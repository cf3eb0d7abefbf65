namespace Porthole.Clusters.Caching;

/// <summary>A consumer of a shared watch: one hub watch channel (or a workload log channel's pod list).</summary>
public interface IWatchSubscriber
{
    /// <summary>
    /// One serialized <c>resource_watch</c> payload (SNAPSHOT, ADDED, MODIFIED, DELETED, BATCH
    /// or STATUS), in order. Called under the shared watch's lock: must not block.
    /// </summary>
    void Deliver(byte[] payload, WatchDelivery delivery);

    /// <summary>The watch cannot go on for this subscriber (access denied, bad selector...).</summary>
    void End(string code, string message);
}

/// <summary>
/// What a delivered payload is, for subscribers that act on objects rather than forward them.
/// A BATCH carries the type of each of its objects in <paramref name="Types"/>.
/// </summary>
public readonly record struct WatchDelivery(string Type, IReadOnlyList<CachedObject> Objects, IReadOnlyList<string>? Types = null)
{
    /// <summary>Each object with its own event type (a BATCH flattened; otherwise <see cref="Type"/> for all).</summary>
    public IEnumerable<(string Type, CachedObject Object)> Events()
    {
        for (var i = 0; i < Objects.Count; i++)
        {
            yield return (Types?[i] ?? Type, Objects[i]);
        }
    }
}

/// <summary>One object as the shared watch holds it: trimmed of managedFields, serialized once.</summary>
public sealed record CachedObject(string Key, string Uid, string ResourceVersion, byte[] Json);
