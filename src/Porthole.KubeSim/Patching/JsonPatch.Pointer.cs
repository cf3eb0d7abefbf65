using System.Text;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Patching;

/// <summary>JSON pointer resolution and container edits of <see cref="JsonPatch"/>.</summary>
public static partial class JsonPatch
{
    /// <summary>The document being patched; "replace" at "" swaps it whole.</summary>
    private sealed class Root(JsonNode node)
    {
        public JsonNode Node { get; set; } = node;
    }

    /// <summary>Decodes one RFC 6901 reference token: ~1 is '/', ~0 is '~', in one pass.</summary>
    internal static string Unescape(string token)
    {
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return token;
        }

        var sb = new StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && i + 1 < token.Length && (token[i + 1] == '0' || token[i + 1] == '1'))
            {
                sb.Append(token[i + 1] == '0' ? '~' : '/');
                i++;
            }
            else
            {
                sb.Append(token[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The container holding the last token of <paramref name="path"/> and that token, or a null
    /// container when the path is empty or a parent is missing, null or not a container.
    /// </summary>
    private static (JsonNode? Container, string Key) Find(Root root, string path)
    {
        var split = path.Split('/');
        if (split.Length < 2)
        {
            return (null, "");
        }

        var current = root.Node;
        for (var i = 1; i < split.Length - 1; i++)
        {
            if (Get(current, Unescape(split[i]), out var next) is not null || next is not (JsonObject or JsonArray))
            {
                return (null, "");
            }

            current = next;
        }

        return (current, Unescape(split[^1]));
    }

    /// <summary>Reads a member or element; a missing object member is no error (it reads as null).</summary>
    private static string? Get(JsonNode? container, string key, out JsonNode? value)
    {
        value = null;
        if (container is JsonObject obj)
        {
            value = obj[key];
            return null;
        }

        var array = (JsonArray)container!;
        var err = Atoi(key, out var idx);
        if (err is not null)
        {
            return err;
        }

        if (idx < 0)
        {
            if (idx < -array.Count)
            {
                return InvalidIndex(idx);
            }

            idx += array.Count;
        }

        if (idx >= array.Count)
        {
            return InvalidIndex(idx);
        }

        value = array[idx];
        return null;
    }

    /// <summary>Replaces an existing element or sets a member (the caller checked it exists).</summary>
    private static void Set(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            obj[key] = value;
            return;
        }

        var array = (JsonArray)container;
        Atoi(key, out var idx);
        if (idx < 0)
        {
            idx += array.Count;
        }

        array[idx] = value;
    }

    private static string? AddTo(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            obj[key] = value;
            return null;
        }

        var array = (JsonArray)container;
        if (key == "-")
        {
            array.Add(value);
            return null;
        }

        var err = Atoi(key, out var idx);
        if (err is not null)
        {
            return $"value was not a proper array index: '{key}': {err}";
        }

        var size = array.Count + 1;
        if (idx >= size)
        {
            return InvalidIndex(idx);
        }

        if (idx < 0)
        {
            if (idx < -size)
            {
                return InvalidIndex(idx);
            }

            idx += size;
        }

        array.Insert(idx, value);
        return null;
    }

    private static string? RemoveFrom(JsonNode container, string key, out JsonNode? removed)
    {
        removed = null;
        if (container is JsonObject obj)
        {
            if (!obj.ContainsKey(key))
            {
                return $"Unable to remove nonexistent key: {key}: missing value";
            }

            removed = obj[key];
            obj.Remove(key);
            return null;
        }

        var array = (JsonArray)container;
        var err = Atoi(key, out var idx);
        if (err is not null)
        {
            return err;
        }

        if (idx >= array.Count)
        {
            return InvalidIndex(idx);
        }

        if (idx < 0)
        {
            if (idx < -array.Count)
            {
                return InvalidIndex(idx);
            }

            idx += array.Count;
        }

        removed = array[idx];
        array.RemoveAt(idx);
        return null;
    }
}
