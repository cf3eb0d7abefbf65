using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>
/// Server-side apply (PATCH with application/apply-patch+yaml), as kube-apiserver's field
/// manager and structured-merge-diff do it: merges the applied configuration into the live
/// object, removes what the manager applied before and no longer applies (unless someone else
/// owns it), reports conflicts with other managers or takes their fields when forced, and
/// records ownership in metadata.managedFields.
/// </summary>
public static partial class ServerSideApply
{
    /// <summary>The manager kubectl uses for server-side apply; it may take over client-side apply's fields.</summary>
    public const string KubectlManager = "kubectl";

    /// <summary>kubectl's client-side apply annotation.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// Returns the object to store. <paramref name="live"/> is the stored object, or null when
    /// the apply creates it (the caller then sets name, uid, timestamps and defaults as for a
    /// create). <paramref name="applied"/> is the request body converted to JSON.
    /// <paramref name="subresource"/> is "status" for an apply to /status.
    /// Throws <see cref="ApiException"/>: 409 Conflict with FieldManagerConflict causes, or 400
    /// for a body that cannot be applied. Ownership of the resource's other part (status on the
    /// main resource, spec on status) is not taken, and those fields are left as they are live.
    /// </summary>
    public static JsonObject Apply(
        ResourceType type,
        JsonObject? live,
        JsonObject applied,
        string fieldManager,
        bool force,
        DateTimeOffset now,
        string? subresource = null,
        Func<IReadOnlyList<string>, ListStrategy>? listStrategy = null)
    {
        if (applied.At("metadata", "managedFields") is not null)
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }

        var schema = new ApplySchema(type, subresource, listStrategy);
        List<ManagerEntry> managed;
        try
        {
            managed = ManagedFields.Decode(live);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw new ApiException(500, "InternalError", $"Internal error occurred: failed to decode managed fields: {e.Message}");
        }

        var liveObj = live?.DeepClone().AsObject() ?? new JsonObject();
        ManagedFields.Strip(liveObj);
        var config = applied.DeepClone().AsObject();
        foreach (var ignored in schema.Ignored.Members)
        {
            config.Remove(ignored.Text);
        }

        try
        {
            if (live is not null && managed.Count == 0)
            {
                managed = BeforeFirstApply(schema, liveObj, now);
            }

            var merged = Merge(schema, liveObj, config, managed, fieldManager, force, now);
            if (fieldManager == KubectlManager && live is not null && live.Annotations().ContainsKey(LastAppliedAnnotation)
                && merged.Obj("metadata", "annotations") is { } annotations)
            {
                annotations[LastAppliedAnnotation] = BuildLastApplied(applied);
            }

            return merged;
        }
        catch (FieldException e)
        {
            throw ApiException.BadRequest($"failed to create typed patch object ({type.ApiVersion}, Kind={type.Kind}): {e.Message}");
        }
    }

    private static JsonObject Merge(ApplySchema schema, JsonObject liveObj, JsonObject config, List<ManagerEntry> managed, string fieldManager, bool force, DateTimeOffset now)
    {
        var configSet = ObjectFields.ToFieldSet(schema, config);
        var merged = ObjectMerge.Merge(schema, liveObj, config);
        var identity = new ManagerEntry { Manager = fieldManager, Operation = ManagerEntry.Apply, ApiVersion = schema.Type.ApiVersion, Subresource = schema.Subresource ?? "" }.Identity;
        var others = managed.Where(e => e.Identity != identity).ToList();
        var last = managed.FirstOrDefault(e => e.Identity == identity);
        if (last is not null && !last.Set.IsEmpty)
        {
            var owned = others.Aggregate(configSet, (acc, e) => acc.Union(e.Set));
            ObjectMerge.Prune(schema, merged, last.Set, owned);
        }

        var comparison = ObjectFields.Compare(schema, liveObj, merged);
        var changed = comparison.Changed.RecursiveDifference(schema.Ignored);
        var removed = comparison.Removed.RecursiveDifference(schema.Ignored);
        var conflicts = others
            .Select(e => (Entry: e, Set: e.Set.Intersection(changed)))
            .Where(c => !c.Set.IsEmpty)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            var remaining = WithoutAllowedConflicts(schema, liveObj, fieldManager, conflicts);
            if (remaining.Count > 0)
            {
                throw ConflictError(remaining);
            }
        }

        var result = new List<ManagerEntry>();
        foreach (var entry in others)
        {
            var taken = conflicts.FirstOrDefault(c => c.Entry == entry).Set ?? new FieldSet();
            result.Add(entry.WithSet(entry.Set.Difference(taken).Difference(removed)));
        }

        var mine = ManagedFields.Find(result, fieldManager, ManagerEntry.Apply, schema.Type.ApiVersion, schema.Subresource);
        mine.Set = schema.Recordable(configSet);
        mine.Time = last?.Time;
        var unchanged = JsonNode.DeepEquals(liveObj, merged) && SameOwnership(managed, result);
        if (!unchanged)
        {
            mine.Time = ManagerEntry.FormatTime(now);
        }

        ManagedFields.Write(merged, unchanged ? managed : result);
        return merged;
    }

    /// <summary>
    /// An object that predates field tracking: its fields are recorded as owned by
    /// "before-first-apply" (operation Update) before the apply, as the real server does.
    /// </summary>
    private static List<ManagerEntry> BeforeFirstApply(ApplySchema schema, JsonObject liveObj, DateTimeOffset now)
    {
        var comparison = ObjectFields.Compare(schema, schema.ZeroObject(liveObj), liveObj);
        var set = schema.Recordable(comparison.Changed);
        return set.IsEmpty
            ? []
            : [new ManagerEntry { Manager = "before-first-apply", Operation = ManagerEntry.Update, ApiVersion = schema.Type.ApiVersion, Time = ManagerEntry.FormatTime(now), Set = set }];
    }

    private static bool SameOwnership(List<ManagerEntry> before, List<ManagerEntry> after)
    {
        static string Key(IEnumerable<ManagerEntry> entries) => string.Join(
            "\n",
            entries.Where(e => !e.Set.IsEmpty).Select(e => e.Identity + "\n" + e.Set.ToFieldsV1().ToJsonString()).Order(StringComparer.Ordinal));
        return Key(before) == Key(after);
    }
}
