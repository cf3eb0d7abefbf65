using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching;

/// <summary>
/// RFC 7386 JSON merge patch as the API server applies it (evanphx/json-patch v4 MergePatch):
/// null deletes a member, objects merge member by member, anything else replaces, and nulls
/// inside a newly set object are dropped.
/// </summary>
public static class MergePatch
{
    /// <summary>Returns <paramref name="target"/> with <paramref name="patch"/> merged in; neither input is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return Pruned(patch);
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        MergeInto(result, patchObject);
        return result;
    }

    private static void MergeInto(JsonObject doc, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                doc.Remove(key);
                continue;
            }

            var current = doc[key];
            if (current is JsonObject currentObject)
            {
                if (value is JsonObject valueObject)
                {
                    MergeInto(currentObject, valueObject);
                }
                else
                {
                    // The library swaps in a non-object patch value as is when the member was an object.
                    doc[key] = value.DeepClone();
                }
            }
            else
            {
                doc[key] = Pruned(value);
            }
        }
    }

    /// <summary>A copy with null object members removed at every depth (array items stay).</summary>
    private static JsonNode? Pruned(JsonNode? node)
    {
        var copy = node?.DeepClone();
        Prune(copy);
        return copy;
    }

    private static void Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, v) in obj)
                {
                    Prune(v);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Prune(item);
                }

                break;
        }
    }
}
