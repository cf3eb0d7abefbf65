using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Api;

/// <summary>Small accessors for the metadata of objects kept as <see cref="JsonObject"/>.</summary>
public static class JsonObjectExtensions
{
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }

        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string Name(this JsonObject obj) => obj.Str("metadata", "name") ?? "";

    public static string Namespace(this JsonObject obj) => obj.Str("metadata", "namespace") ?? "";

    public static string ResourceVersion(this JsonObject obj) => obj.Str("metadata", "resourceVersion") ?? "";

    public static string Uid(this JsonObject obj) => obj.Str("metadata", "uid") ?? "";

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) => obj.StringMap("metadata", "labels");

    public static IReadOnlyDictionary<string, string> Annotations(this JsonObject obj) => obj.StringMap("metadata", "annotations");

    /// <summary>Walks a path of object keys and returns the string there, or null.</summary>
    public static string? Str(this JsonNode? node, params string[] path)
    {
        var n = node.At(path);
        return n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    public static long? Long(this JsonNode? node, params string[] path)
    {
        var n = node.At(path);
        if (n is JsonValue v)
        {
            if (v.TryGetValue<long>(out var l))
            {
                return l;
            }

            if (v.TryGetValue<int>(out var i))
            {
                return i;
            }

            if (v.TryGetValue<double>(out var d))
            {
                return (long)d;
            }
        }

        return null;
    }

    public static bool? Bool(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject o ? o[key] : null;
        }

        return node;
    }

    public static JsonObject? Obj(this JsonNode? node, params string[] path) => node.At(path) as JsonObject;

    public static JsonArray? Arr(this JsonNode? node, params string[] path) => node.At(path) as JsonArray;

    public static IReadOnlyDictionary<string, string> StringMap(this JsonNode? node, params string[] path)
    {
        if (node.At(path) is not JsonObject map)
        {
            return EmptyMap;
        }

        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (k, v) in map)
        {
            result[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
        }

        return result;
    }

    /// <summary>Sets a value at a path of object keys, creating the objects on the way.</summary>
    public static void Set(this JsonObject obj, string[] path, JsonNode? value)
    {
        var current = obj;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (current[path[i]] is not JsonObject next)
            {
                next = new JsonObject();
                current[path[i]] = next;
            }

            current = next;
        }

        current[path[^1]] = value;
    }

    /// <summary>A deep copy with null members dropped at every depth (as a patch's nulls never reach the stored object).</summary>
    public static JsonNode? WithoutNulls(this JsonNode? node)
    {
        var copy = node?.DeepClone();
        DropNulls(copy);
        return copy;
    }

    private static void DropNulls(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                obj.Remove(key);
            }

            foreach (var (_, v) in obj)
            {
                DropNulls(v);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                DropNulls(item);
            }
        }
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();
}
