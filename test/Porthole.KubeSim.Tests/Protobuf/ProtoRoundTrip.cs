using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Protobuf;


namespace Porthole.KubeSim.Tests.Protobuf;

/// <summary>JSON → protobuf → JSON through the codec, and a comparison that names the first difference.</summary>
internal static class ProtoRoundTrip
{
    public static byte[] Encode(byte[] json)
    {
        using var w = new ProtoWriter();
        Assert.True(KubeProtobuf.TryEncode(json, w), $"no protobuf message for {KubeProtobuf.TypeOf(json)}");
        return w.ToArray();
    }

    public static JsonObject Decode(byte[] proto)
    {
        var (apiVersion, kind, raw) = KubeProtobuf.ReadEnvelope(proto);
        var m = KubeProtobuf.Schema.Find(apiVersion, kind) ?? throw new InvalidOperationException($"no message for {apiVersion} {kind}");
        return JsonNode.Parse(KubeProtobuf.DecodeToJson(raw.Span, apiVersion, kind, m))!.AsObject();
    }

    public static JsonObject Through(byte[] json) => Decode(Encode(json));

    /// <summary>Null when equal (object key order aside); else the JSON path of the first difference.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var (k, v) in e)
                {
                    if (!a.ContainsKey(k))
                    {
                        return $"{path}.{k} missing (expected {v?.ToJsonString() ?? "null"})";
                    }

                    if (Difference(v, a[k], $"{path}.{k}") is { } d)
                    {
                        return d;
                    }
                }

                return a.Select(p => p.Key).FirstOrDefault(k => !e.ContainsKey(k)) is { } extra ? $"{path}.{extra} unexpected ({a[extra]?.ToJsonString()})" : null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path}: {e.Count} items, got {a.Count}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    if (Difference(e[i], a[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}";
        }
    }

    public static string Describe(byte[] json)
    {
        var (apiVersion, kind) = KubeProtobuf.TypeOf(json);
        using var doc = JsonDocument.Parse(json);
        var meta = doc.RootElement.TryGetProperty("metadata", out var m) ? m : default;
        var name = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("name", out var n) ? n.GetString() : "?";
        return $"{apiVersion} {kind} {name}";
    }

    /// <summary>
    /// The JSON with empty and null lists and maps removed: the wire cannot tell an empty list from
    /// none (the API server, storing protobuf, answers null for both), so they come back absent.
    /// </summary>
    public static JsonObject WithoutEmptyLists(JsonObject obj, ProtoMessage m)
    {
        foreach (var (k, v) in obj.ToList())
        {
            if (!m.TryFind(System.Text.Encoding.UTF8.GetBytes(k), out var f, out _))
            {
                continue;
            }

            if (((f.Repeated || f.IsMap) && v is null) || (f.Repeated && v is JsonArray { Count: 0 }) || (f.IsMap && v is JsonObject { Count: 0 }))
            {
                obj.Remove(k);
            }
            else if (v is not null && f.Kind == ProtoKind.Message && f.Message!.Form == ProtoForm.Object)
            {
                var children = f.Repeated ? v.AsArray().OfType<JsonObject>() : f.IsMap ? v.AsObject().Select(x => x.Value).OfType<JsonObject>() : v is JsonObject o ? [o] : [];
                foreach (var child in children)
                {
                    WithoutEmptyLists(child, f.Message);
                }
            }
        }

        return obj;
    }
}
