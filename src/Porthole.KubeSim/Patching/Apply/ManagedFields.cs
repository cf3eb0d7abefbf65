using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// metadata.managedFields bookkeeping for writes that are not server-side apply (create,
/// update, patch), following the real API server's field manager: the fields a write sets or
/// changes move to its manager (operation Update), away from whoever owned them before.
/// </summary>
public static partial class ManagedFields
{
    /// <summary>The most Update entries an object keeps, as on the real server.</summary>
    public const int MaxUpdateManagers = 10;

    private const string AncientChanges = "ancient-changes";

    /// <summary>
    /// The manager a request is recorded under: its fieldManager parameter, otherwise the part
    /// of its User-Agent before the first "/" (e.g. "kubectl" for "kubectl/v1.31.0 (linux/amd64)").
    /// </summary>
    public static string DefaultManager(string? fieldManager, string? userAgent) =>
        !string.IsNullOrEmpty(fieldManager) ? fieldManager : (userAgent ?? "").Split('/')[0];

    /// <summary>Removes metadata.managedFields from an object.</summary>
    public static void Strip(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            meta.Remove("managedFields");
        }
    }

    /// <summary>
    /// Records a non-apply write in <paramref name="after"/>'s metadata.managedFields.
    /// <paramref name="before"/> is the stored object (null on create); <paramref name="after"/>
    /// is the object about to be stored, after defaulting. Managed fields sent in a create or
    /// update body are honoured as the real server does ("[{}]" resets them); on a subresource
    /// the stored ones are used. An object that already exists without managed fields stays
    /// untracked. <paramref name="listStrategy"/> overrides list merge strategies (CRD schemas).
    /// </summary>
    public static void RecordUpdate(
        ResourceType type,
        JsonObject? before,
        JsonObject after,
        string manager,
        string? subresource,
        DateTimeOffset now,
        Func<IReadOnlyList<string>, ListStrategy>? listStrategy = null)
    {
        var schema = new ApplySchema(type, subresource, listStrategy);
        var managed = DecodeLiveOrNew(before, after, schema.Subresource is not null);
        Strip(after);
        if (managed.Count == 0 && before is not null && before.Uid().Length > 0)
        {
            return;
        }

        var previous = before?.DeepClone().AsObject() ?? schema.ZeroObject(after);
        Strip(previous);
        try
        {
            var comparison = ObjectFields.Compare(schema, previous, after);
            var changed = comparison.Changed.RecursiveDifference(schema.Ignored);
            var removed = comparison.Removed.RecursiveDifference(schema.Ignored);
            foreach (var entry in managed)
            {
                entry.Set = entry.Set.Difference(changed).Difference(removed);
            }

            var taken = changed.Difference(schema.Stripped);
            if (!taken.IsEmpty)
            {
                var entry = Find(managed, manager, ManagerEntry.Update, type.ApiVersion, schema.Subresource);
                entry.Set = taken.Union(entry.Set);
                entry.Time = ManagerEntry.FormatTime(now);
            }
        }
        catch (FieldException)
        {
            return;
        }

        Write(after, managed);
    }

    /// <summary>The entry of a manager identity, added to <paramref name="managed"/> when missing.</summary>
    internal static ManagerEntry Find(List<ManagerEntry> managed, string manager, string operation, string apiVersion, string? subresource)
    {
        var wanted = new ManagerEntry { Manager = manager, Operation = operation, ApiVersion = apiVersion, Subresource = subresource ?? "" };
        var entry = managed.FirstOrDefault(e => e.Identity == wanted.Identity);
        if (entry is null)
        {
            managed.Add(wanted);
            return wanted;
        }

        entry.ApiVersion = apiVersion;
        return entry;
    }

    /// <summary>Reads an object's managed fields; throws <see cref="FormatException"/> when malformed.</summary>
    internal static List<ManagerEntry> Decode(JsonObject? obj)
    {
        var list = obj.Arr("metadata", "managedFields");
        return list is null ? [] : list.Select(ManagerEntry.FromJson).ToList();
    }

    /// <summary>Writes the non-empty entries sorted as the real server does (operation, time, manager, version, subresource).</summary>
    internal static void Write(JsonObject obj, IEnumerable<ManagerEntry> managed)
    {
        var sorted = Cap(managed.Where(e => !e.Set.IsEmpty).ToList())
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Seconds)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource, StringComparer.Ordinal)
            .Select(e => (JsonNode)e.ToJson())
            .ToArray();
        if (sorted.Length == 0)
        {
            Strip(obj);
            return;
        }

        obj.Metadata()["managedFields"] = new JsonArray(sorted);
    }

    /// <summary>
    /// Keeps at most <see cref="MaxUpdateManagers"/> Update entries: the oldest are merged, per
    /// API version, into an "ancient-changes" entry carrying the newest merged time.
    /// </summary>
    private static List<ManagerEntry> Cap(List<ManagerEntry> managed)
    {
        var updaters = managed
            .Where(e => e.Operation == ManagerEntry.Update)
            .OrderBy(e => e.Seconds)
            .ThenBy(e => e.IdentifierJson, StringComparer.Ordinal)
            .ToList();
        var count = updaters.Count;
        var firstOfVersion = new Dictionary<string, ManagerEntry>(StringComparer.Ordinal);
        for (var i = 0; i < updaters.Count && count > MaxUpdateManagers; i++)
        {
            var entry = updaters[i];
            if (!firstOfVersion.TryGetValue(entry.ApiVersion, out var first))
            {
                firstOfVersion[entry.ApiVersion] = entry;
                continue;
            }

            var bucket = managed.FirstOrDefault(e => e.Manager == AncientChanges && e.Operation == ManagerEntry.Update && e.ApiVersion == entry.ApiVersion);
            if (bucket is null)
            {
                managed.Remove(first);
                bucket = new ManagerEntry { Manager = AncientChanges, Operation = ManagerEntry.Update, ApiVersion = entry.ApiVersion, Set = first.Set };
                managed.Add(bucket);
            }

            bucket.Set = entry.Set.Union(bucket.Set);
            bucket.Time = entry.Time;
            managed.Remove(entry);
            count--;
        }

        return managed;
    }

    private static List<ManagerEntry> DecodeLiveOrNew(JsonObject? before, JsonObject after, bool isSubresource)
    {
        if (!isSubresource)
        {
            if (after.Arr("metadata", "managedFields") is [JsonObject { Count: 0 }])
            {
                return [];
            }

            var fromNew = TryDecode(after);
            if (fromNew is { Count: > 0 })
            {
                return fromNew;
            }
        }

        return TryDecode(before) ?? [];
    }

    private static List<ManagerEntry>? TryDecode(JsonObject? obj)
    {
        try
        {
            return Decode(obj);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
