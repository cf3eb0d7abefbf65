using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Batch;

/// <summary>
/// A control loop over one kind of object, keyed "namespace/name" as a workqueue is: changes
/// mark keys dirty, a relist marks them all, a sync may ask to be woken at a later time
/// (deadlines, schedules, TTLs), and a conflict or a vanished object retries the key shortly.
/// </summary>
internal abstract class KeyedControllerLoop : ControllerLoop
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);

    private readonly ResourceType _primary;

    protected KeyedControllerLoop(ObjectStore store, TimeProvider time, ILogger logger, ResourceType primary, params ResourceType[] others)
        : base(store, time, logger, [primary, .. others])
    {
        _primary = primary;
    }

    /// <summary>Keys to sync at the next pass.</summary>
    protected HashSet<string> Dirty { get; } = new(StringComparer.Ordinal);

    /// <summary>When a key asked to be synced again without any change.</summary>
    protected Dictionary<string, DateTimeOffset> Wake { get; } = new(StringComparer.Ordinal);

    protected static string Key(string ns, string name) => ns + "/" + name;

    /// <summary>Brings one object to its desired state.</summary>
    protected abstract void SyncKey(string key, string ns, string name, DateTimeOffset now);

    protected override void Resync()
    {
        foreach (var obj in Store.All(_primary))
        {
            Dirty.Add(Key(obj.Namespace, obj.Name));
        }
    }

    protected override DateTimeOffset? Sync(DateTimeOffset now)
    {
        foreach (var (key, _) in Wake.Where(w => w.Value <= now).ToList())
        {
            Wake.Remove(key);
            Dirty.Add(key);
        }

        foreach (var key in Dirty.ToList())
        {
            Dirty.Remove(key);
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            try
            {
                SyncKey(key, key[..slash], key[(slash + 1)..], now);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                Dirty.Add(key);
                return now + Retry;
            }
        }

        return Wake.Count == 0 ? null : Wake.Values.Min();
    }
}
