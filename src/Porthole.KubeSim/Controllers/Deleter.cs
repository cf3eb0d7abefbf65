using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers;

/// <summary>
/// Deletion as the API server performs it: preconditions, finalizers (an object with any is
/// only marked with deletionTimestamp), propagation policy turned into the foregroundDeletion
/// or orphan finalizer for the garbage collector, graceful pod deletion left to the kubelet, and
/// namespaces moved to Terminating for the namespace controller.
/// </summary>
public sealed class Deleter
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;

    public Deleter(ObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Deletes or marks the object; returns its state afterwards and whether it is gone.</summary>
    public (StoredObject Object, bool Removed) Delete(ResourceType type, string ns, string name, DeleteOptions options)
    {
        var live = _store.Get(type, ns, name) ?? throw ApiException.NotFound(type, name);
        var obj = live.Parse();
        if (options.PreconditionUid is { } uid && uid != live.Uid)
        {
            throw ApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {live.Uid}");
        }

        if (options.PreconditionResourceVersion is { } rv && rv != obj.ResourceVersion())
        {
            throw ApiException.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {obj.ResourceVersion()}");
        }

        var finalizers = Finalizers(obj);
        var add = options.Propagation switch
        {
            DeleteOptions.Foreground => ForegroundFinalizer,
            DeleteOptions.Orphan => OrphanFinalizer,
            _ => null,
        };
        var graceful = GracefulSeconds(type, obj, options);
        var isNamespace = type.Group.Length == 0 && type.Plural == "namespaces";
        var marked = obj.Str("metadata", "deletionTimestamp") is not null;

        if (options.DryRun)
        {
            return (live, !marked && finalizers.Count == 0 && add is null && graceful is null && !isNamespace);
        }

        if (marked && !(graceful == 0 && type.Plural == "pods"))
        {
            return (live, false);
        }

        if (finalizers.Count == 0 && add is null && graceful is null && !isNamespace)
        {
            return (_store.Remove(type, ns, name, live.Uid) ?? throw ApiException.NotFound(type, name), true);
        }

        if (graceful == 0 && finalizers.Count == 0 && add is null)
        {
            return (_store.Remove(type, ns, name, live.Uid) ?? throw ApiException.NotFound(type, name), true);
        }

        var now = _time.GetUtcNow();
        var updated = _store.Mutate(type, ns, name, o =>
        {
            var meta = o.Metadata();
            var seconds = graceful ?? 0;
            if (meta.Str("deletionTimestamp") is null)
            {
                meta["deletionTimestamp"] = Server.ObjectRules.Timestamp(now.AddSeconds(seconds));
            }

            meta["deletionGracePeriodSeconds"] = seconds;
            if (add is not null && !Finalizers(o).Contains(add))
            {
                var list = meta.Arr("finalizers") ?? new JsonArray();
                list.Add(add);
                meta["finalizers"] = list;
            }

            if (isNamespace && o.Obj("status") is { } status)
            {
                status["phase"] = "Terminating";
            }

            return true;
        });
        return (updated, false);
    }

    /// <summary>Removes an object marked for deletion once nothing holds it any more.</summary>
    public bool RemoveIfReleased(ResourceType type, StoredObject stored)
    {
        var obj = stored.Parse();
        if (obj.Str("metadata", "deletionTimestamp") is null || Finalizers(obj).Count > 0)
        {
            return false;
        }

        if (type.Group.Length == 0 && type.Plural == "namespaces" && obj.Arr("spec", "finalizers") is { Count: > 0 })
        {
            return false;
        }

        if (type.Group.Length == 0 && type.Plural == "pods" && (obj.Long("metadata", "deletionGracePeriodSeconds") ?? 0) > 0)
        {
            return false; // the kubelet ends graceful pod deletion
        }

        return _store.Remove(type, stored.Namespace, stored.Name, stored.Uid) is not null;
    }

    public static List<string> Finalizers(JsonObject obj) =>
        obj.Arr("metadata", "finalizers")?.Select(f => f?.GetValue<string>() ?? "").Where(f => f.Length > 0).ToList() ?? [];

    /// <summary>Seconds of graceful termination for a scheduled pod; null for everything else.</summary>
    private static long? GracefulSeconds(ResourceType type, JsonObject obj, DeleteOptions options)
    {
        if (type.Group.Length != 0 || type.Plural != "pods" || obj.Str("spec", "nodeName") is null)
        {
            return options.GracePeriodSeconds == 0 && type.Plural == "pods" ? 0 : null;
        }

        if (obj.Str("status", "phase") is "Succeeded" or "Failed")
        {
            return options.GracePeriodSeconds == 0 ? 0 : null;
        }

        var seconds = options.GracePeriodSeconds ?? obj.Long("spec", "terminationGracePeriodSeconds") ?? 30;
        return Math.Max(0, seconds);
    }

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
