using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Patching.Apply;

/// <summary>Apply conflicts and kubectl's move from client-side to server-side apply.</summary>
public static partial class ServerSideApply
{
    /// <summary>
    /// For kubectl's own manager on an object with a last-applied annotation, the fields it
    /// applied client-side whose live value is still the one it applied are not conflicts.
    /// </summary>
    private static List<(ManagerEntry Entry, FieldSet Set)> WithoutAllowedConflicts(
        ApplySchema schema, JsonObject liveObj, string fieldManager, List<(ManagerEntry Entry, FieldSet Set)> conflicts)
    {
        if (fieldManager != KubectlManager
            || !liveObj.Annotations().TryGetValue(LastAppliedAnnotation, out var text)
            || text.Length == 0)
        {
            return conflicts;
        }

        FieldSet allowed;
        try
        {
            if (JsonNode.Parse(text) is not JsonObject lastApplied)
            {
                return conflicts;
            }

            var comparison = ObjectFields.Compare(schema, lastApplied, liveObj);
            allowed = ObjectFields.ToFieldSet(schema, lastApplied).Difference(comparison.Modified);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FieldException)
        {
            return conflicts;
        }

        return conflicts
            .Select(c => (c.Entry, Set: c.Set.Difference(allowed)))
            .Where(c => !c.Set.IsEmpty)
            .ToList();
    }

    /// <summary>409 Conflict worded as the real server words it, one FieldManagerConflict cause per field.</summary>
    private static ApiException ConflictError(List<(ManagerEntry Entry, FieldSet Set)> conflicts)
    {
        var ordered = conflicts
            .Select(c => (c.Entry, Key: c.Entry.IdentifierJson, Paths: c.Set.Paths().ToList()))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
        var causes = new JsonArray();
        foreach (var (entry, _, paths) in ordered)
        {
            foreach (var path in paths)
            {
                causes.Add(new JsonObject
                {
                    ["reason"] = "FieldManagerConflict",
                    ["message"] = $"conflict with {entry.Describe()}",
                    ["field"] = path.ToString(),
                });
            }
        }

        var total = ordered.Sum(c => c.Paths.Count);
        string message;
        if (total == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {ordered[0].Entry.Describe()}: {ordered[0].Paths[0]}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var (entry, _, paths) in ordered)
            {
                lines.Add($"conflicts with {entry.Describe()}:");
                lines.AddRange(paths.Select(p => $"- {p}"));
            }

            message = $"Apply failed with {total} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    /// <summary>The applied object as kubectl's annotation holds it: itself without the annotation, keys sorted, newline-terminated.</summary>
    private static string BuildLastApplied(JsonObject applied)
    {
        var copy = applied.DeepClone().AsObject();
        if (copy.Obj("metadata", "annotations") is { } annotations)
        {
            annotations.Remove(LastAppliedAnnotation);
        }

        return GoJson.Write(copy) + "\n";
    }
}
