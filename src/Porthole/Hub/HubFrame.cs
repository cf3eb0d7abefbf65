using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Porthole.Hub;

/// <summary>
/// The /ws envelope <c>{"type","sessionID","channel","payload","timestamp"}</c>: parsing what a
/// client sends, and writing what the server sends. An outgoing payload is serialized once and
/// spliced into each connection's envelope, so a fan-out costs one serialization per event.
/// </summary>
public static class HubFrame
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    /// <summary>Parses a client message; throws <see cref="HubProtocolException"/> with a clear reason.</summary>
    public static Incoming Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new HubProtocolException(HubErrors.BadJson, $"message is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new HubProtocolException(HubErrors.BadJson, "message must be a JSON object");
            }

            var type = OptionalString(root, "type") ?? throw new HubProtocolException(HubErrors.BadMessage, "message has no \"type\"");
            var channel = OptionalString(root, "channel");
            var payload = root.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null ? p.Clone() : (JsonElement?)null;
            return new Incoming(type, channel, payload);
        }
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new HubProtocolException(HubErrors.BadMessage, $"\"{name}\" must be a string");
    }

    /// <summary>Writes one outgoing frame around an already serialized payload (or none).</summary>
    public static byte[] Write(string type, string sessionId, string? channel, ReadOnlySpan<byte> payload, DateTimeOffset timestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            writer.WriteString("sessionID"u8, sessionId);
            if (channel is not null)
            {
                writer.WriteString("channel"u8, channel);
            }

            if (!payload.IsEmpty)
            {
                writer.WritePropertyName("payload"u8);
                writer.WriteRawValue(payload, skipInputValidation: true);
            }

            writer.WriteString("timestamp"u8, timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes a payload object (camelCase, nulls left out).</summary>
    public static byte[] Payload<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, HubJson.Options);

    /// <summary>The payload of an <c>error</c> frame.</summary>
    public static byte[] ErrorPayload(string code, string message) => Payload(new ErrorBody(code, message));

    public static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    /// <summary>A parsed client message.</summary>
    public sealed record Incoming(string Type, string? Channel, JsonElement? Payload);

    private sealed record ErrorBody(string Code, string Message);
}

/// <summary>A client message the hub cannot act on: answered with an <c>error</c> frame.</summary>
public sealed class HubProtocolException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
