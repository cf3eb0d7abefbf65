using System.Buffers.Text;
using System.Text.Json;

namespace Porthole.Bench.Hub;

/// <summary>What one hub frame carried, as far as the bench cares.</summary>
internal enum FrameKind
{
    Other,
    Ping,
    SnapshotPart,
    SnapshotEnd,
    Events,
}

/// <summary>
/// Reads hub envelopes without building a DOM: the payload's <c>type</c>, and the
/// <c>resourceVersion</c> of every event it carries: one for ADDED/MODIFIED/DELETED, one per
/// element of <c>events</c> in a <c>BATCH</c> (<c>{"type":"BATCH","events":[{type, object, resourceVersion}]}</c>).
/// </summary>
internal static class HubFrames
{
    public static FrameKind Parse(ReadOnlySpan<byte> frame, List<long> versions)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return FrameKind.Other;
        }

        var kind = FrameKind.Other;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.ValueTextEquals("ping"u8))
                {
                    return FrameKind.Ping;
                }
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                kind = reader.TokenType == JsonTokenType.StartObject ? Payload(ref reader, versions) : Skip(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return kind;
    }

    private static FrameKind Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return FrameKind.Other;
    }

    private static FrameKind Payload(ref Utf8JsonReader reader, List<long> versions)
    {
        var type = FrameKind.Other;
        var continued = false;
        var snapshot = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                snapshot = reader.ValueTextEquals("SNAPSHOT"u8);
                type = snapshot ? FrameKind.SnapshotEnd
                    : reader.ValueTextEquals("STATUS"u8) ? FrameKind.Other
                    : FrameKind.Events;
            }
            else if (reader.ValueTextEquals("continued"u8))
            {
                reader.Read();
                continued = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("events"u8))
            {
                reader.Read();
                Events(ref reader, versions);
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                reader.Read();
                if (!snapshot && Version(ref reader) is { } rv)
                {
                    versions.Add(rv);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return snapshot && continued ? FrameKind.SnapshotPart : type;
    }

    private static void Events(ref Utf8JsonReader reader, List<long> versions)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("resourceVersion"u8);
                reader.Read();
                if (isVersion && Version(ref reader) is { } rv)
                {
                    versions.Add(rv);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static long? Version(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && Utf8Parser.TryParse(reader.ValueSpan, out long rv, out _) ? rv : null;
}
