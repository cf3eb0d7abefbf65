using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Porthole.Clusters.Caching;

/// <summary>The <c>resource_watch</c> payloads, serialized once per event for every subscriber.</summary>
public static class WatchPayloads
{
    public const string SnapshotType = "SNAPSHOT";
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Status = "STATUS";
    public const string BatchType = "BATCH";

    /// <summary>STATUS values: the upstream is answering again / cannot be reached.</summary>
    public const string Connected = "connected";
    public const string Unreachable = "unreachable";

    /// <summary>Trims an object of metadata.managedFields and serializes it once.</summary>
    public static CachedObject Cache(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        metadata?.Remove("managedFields");
        var ns = metadata?["namespace"]?.GetValue<string>() ?? "";
        var name = metadata?["name"]?.GetValue<string>() ?? "";
        var uid = metadata?["uid"]?.GetValue<string>() ?? "";
        var rv = metadata?["resourceVersion"]?.GetValue<string>() ?? "";
        return new CachedObject(ns + "/" + name, uid, rv, JsonSerializer.SerializeToUtf8Bytes(obj));
    }

    /// <summary><c>{"type":"SNAPSHOT","objects":[...],"resourceVersion":"..","continued":true?}</c></summary>
    public static byte[] Snapshot(IReadOnlyList<CachedObject> objects, string resourceVersion, bool continued) => Write(w =>
    {
        w.WriteString("type"u8, SnapshotType);
        w.WriteStartArray("objects"u8);
        foreach (var o in objects)
        {
            w.WriteRawValue(o.Json, skipInputValidation: true);
        }

        w.WriteEndArray();
        w.WriteString("resourceVersion"u8, resourceVersion);
        if (continued)
        {
            w.WriteBoolean("continued"u8, true);
        }
    });

    /// <summary><c>{"type":"ADDED|MODIFIED|DELETED","object":{..},"resourceVersion":".."}</c></summary>
    public static byte[] Event(string type, CachedObject obj) => Write(w =>
    {
        w.WriteString("type"u8, type);
        w.WritePropertyName("object"u8);
        w.WriteRawValue(obj.Json, skipInputValidation: true);
        w.WriteString("resourceVersion"u8, obj.ResourceVersion);
    });

    /// <summary>
    /// <c>{"type":"BATCH","events":[{event},...],"resourceVersion":"<last>"}</c>: several
    /// <see cref="Event"/> payloads, in order, in one frame.
    /// </summary>
    public static byte[] Batch(IEnumerable<byte[]> events, string resourceVersion) => Write(w =>
    {
        w.WriteString("type"u8, BatchType);
        w.WriteStartArray("events"u8);
        foreach (var e in events)
        {
            w.WriteRawValue(e, skipInputValidation: true);
        }

        w.WriteEndArray();
        w.WriteString("resourceVersion"u8, resourceVersion);
    });

    /// <summary><c>{"type":"STATUS","status":"connected|unreachable","message"?,"resourceVersion"}</c></summary>
    public static byte[] StatusPayload(string status, string? message, string resourceVersion) => Write(w =>
    {
        w.WriteString("type"u8, Status);
        w.WriteString("status"u8, status);
        if (message is not null)
        {
            w.WriteString("message"u8, message);
        }

        w.WriteString("resourceVersion"u8, resourceVersion);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
