using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Porthole.KubeSim.Protobuf;

/// <summary>A JSON value that does not fit its protobuf field (the API server would not have stored it).</summary>
internal sealed class ProtobufEncodeException(string message) : Exception(message);

/// <summary>
/// JSON to Kubernetes protobuf, in one forward pass of a Utf8JsonReader over the JSON bytes.
/// Fields are written in JSON order; properties of an inline member (Volume's volumeSource,
/// Probe's handler) are collected and written as one nested message at the end. Properties the
/// schema does not know, and "apiVersion"/"kind" (they travel in the envelope), are skipped.
/// </summary>
internal static partial class ProtoEncoder
{
    /// <summary>Encodes the JSON object at the reader (on its StartObject) as the message's fields.</summary>
    public static void WriteObject(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ProtoMessage m, ProtoWriter w)
    {
        Expect(ref r, JsonTokenType.StartObject, m.Name);
        InlineMember[]? inline = null;
        var inlineCount = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var found = r.ValueIsEscaped ? m.TryFind(Encoding.UTF8.GetBytes(r.GetString()!), out var field, out var via) : m.TryFind(r.ValueSpan, out field, out via);
            r.Read();
            if (!found)
            {
                r.Skip();
                continue;
            }

            if (via is not null)
            {
                var start = (int)r.TokenStartIndex;
                r.Skip();
                inline ??= ArrayPool<InlineMember>.Shared.Rent(8);
                if (inlineCount == inline.Length)
                {
                    var bigger = ArrayPool<InlineMember>.Shared.Rent(inline.Length * 2);
                    inline.AsSpan().CopyTo(bigger);
                    ArrayPool<InlineMember>.Shared.Return(inline);
                    inline = bigger;
                }

                inline[inlineCount++] = new InlineMember(via, field, start, (int)r.BytesConsumed);
                continue;
            }

            WriteField(ref r, json, field, w);
        }

        if (inline is not null)
        {
            WriteInline(inline.AsSpan(0, inlineCount), json, w);
            ArrayPool<InlineMember>.Shared.Return(inline, clearArray: true);
        }
    }

    private static void WriteInline(ReadOnlySpan<InlineMember> members, ReadOnlySpan<byte> json, ProtoWriter w)
    {
        for (var i = 0; i < members.Length; i++)
        {
            var via = members[i].Via;
            var first = true;
            for (var j = 0; j < i && first; j++)
            {
                first = members[j].Via != via;
            }

            if (!first)
            {
                continue;
            }

            // Every member of this inline field, as one nested message.
            w.WriteTag(via.Number, 2);
            var at = w.BeginLength();
            foreach (var member in members[i..])
            {
                if (member.Via == via)
                {
                    var slice = json[member.Start..member.End];
                    var r = new Utf8JsonReader(slice);
                    r.Read();
                    WriteField(ref r, slice, member.Field, w);
                }
            }

            w.EndLength(at);
        }
    }

    /// <summary>Writes a field whose value token the reader is on.</summary>
    private static void WriteField(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ProtoField f, ProtoWriter w)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            if (!f.Repeated && !f.IsMap && !f.Pointer && f.Message is { Form: ProtoForm.Time or ProtoForm.MicroTime or ProtoForm.Raw })
            {
                // A zero Time (JSON null) or nil RawExtension in a non-pointer field: Go writes it empty.
                w.WriteTag(f.Number, 2);
                w.WriteVarint(0);
            }

            return;
        }

        if (f.Repeated)
        {
            Expect(ref r, JsonTokenType.StartArray, f.JsonName);
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (r.TokenType != JsonTokenType.Null)
                {
                    WriteValue(ref r, json, f.Number, f.Kind, f.Message, f.JsonName, w);
                }
            }

            return;
        }

        if (f.IsMap)
        {
            Expect(ref r, JsonTokenType.StartObject, f.JsonName);
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                w.WriteTag(f.Number, 2);
                var at = w.BeginLength();
                WriteString(ref r, 1, w);
                r.Read();
                if (r.TokenType != JsonTokenType.Null)
                {
                    WriteValue(ref r, json, 2, f.Kind, f.Message, f.JsonName, w);
                }

                w.EndLength(at);
            }

            return;
        }

        WriteValue(ref r, json, f.Number, f.Kind, f.Message, f.JsonName, w);
    }

    private static void WriteValue(ref Utf8JsonReader r, ReadOnlySpan<byte> json, int number, ProtoKind kind, ProtoMessage? message, string name, ProtoWriter w)
    {
        switch (kind)
        {
            case ProtoKind.String:
                Expect(ref r, JsonTokenType.String, name);
                WriteString(ref r, number, w);
                break;
            case ProtoKind.Int32 or ProtoKind.Int64:
                w.WriteTag(number, 0);
                w.WriteVarint((ulong)Integer(ref r, name));
                break;
            case ProtoKind.UInt32 or ProtoKind.UInt64:
                w.WriteTag(number, 0);
                w.WriteVarint(r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out var u) ? u : throw Mismatch(ref r, name, "an unsigned integer"));
                break;
            case ProtoKind.Bool:
                w.WriteTag(number, 0);
                w.WriteVarint(r.TokenType switch
                {
                    JsonTokenType.True => 1UL,
                    JsonTokenType.False => 0UL,
                    _ => throw Mismatch(ref r, name, "a boolean"),
                });
                break;
            case ProtoKind.Double:
                w.WriteTag(number, 1);
                w.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(r.TokenType == JsonTokenType.Number ? r.GetDouble() : throw Mismatch(ref r, name, "a number")));
                break;
            case ProtoKind.Float:
                w.WriteTag(number, 5);
                w.WriteFixed32(BitConverter.SingleToUInt32Bits(r.TokenType == JsonTokenType.Number ? r.GetSingle() : throw Mismatch(ref r, name, "a number")));
                break;
            case ProtoKind.Bytes:
                Expect(ref r, JsonTokenType.String, name);
                w.WriteBytesField(number, r.TryGetBytesFromBase64(out var bytes) ? bytes : throw new ProtobufEncodeException($"{name}: illegal base64 data"));
                break;
            default:
                w.WriteTag(number, 2);
                var at = w.BeginLength();
                WriteMessage(ref r, json, message!, name, w);
                w.EndLength(at);
                break;
        }
    }

    private static void WriteMessage(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ProtoMessage m, string name, ProtoWriter w)
    {
        switch (m.Form)
        {
            case ProtoForm.Object:
                WriteObject(ref r, json, m, w);
                break;
            case ProtoForm.Time or ProtoForm.MicroTime:
                Expect(ref r, JsonTokenType.String, name);
                if (!GoFormats.TryParseTime(r.GetString()!, out var seconds, out var nanos))
                {
                    throw new ProtobufEncodeException($"{name}: {r.GetString()} is not an RFC 3339 time");
                }

                w.WriteTag(1, 0);
                w.WriteVarint((ulong)seconds);
                w.WriteTag(2, 0);
                w.WriteVarint((ulong)(m.Form == ProtoForm.MicroTime ? nanos / 1000 * 1000 : nanos));
                break;
            case ProtoForm.Duration:
                Expect(ref r, JsonTokenType.String, name);
                w.WriteTag(1, 0);
                w.WriteVarint((ulong)(GoFormats.TryParseDuration(r.GetString()!, out var d) ? d : throw new ProtobufEncodeException($"{name}: {r.GetString()} is not a duration")));
                break;
            case ProtoForm.Quantity:
                if (r.TokenType == JsonTokenType.Number)
                {
                    w.WriteBytesField(1, r.HasValueSequence ? r.ValueSequence.ToArray() : r.ValueSpan);
                }
                else
                {
                    Expect(ref r, JsonTokenType.String, name);
                    WriteString(ref r, 1, w);
                }

                break;
            case ProtoForm.IntOrString:
                WriteIntOrString(ref r, name, w);
                break;
            case ProtoForm.Raw:
                var start = (int)r.TokenStartIndex;
                r.Skip();
                w.WriteBytesField(1, json[start..(int)r.BytesConsumed]);
                break;
            case ProtoForm.Items:
                Expect(ref r, JsonTokenType.StartArray, name);
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    Expect(ref r, JsonTokenType.String, name);
                    WriteString(ref r, 1, w);
                }

                break;
            default:
                WriteSchemaUnion(ref r, json, m, name, w);
                break;
        }
    }

    private static void WriteIntOrString(ref Utf8JsonReader r, string name, ProtoWriter w)
    {
        // Go writes all three fields of an IntOrString.
        if (r.TokenType == JsonTokenType.Number)
        {
            w.WriteTag(1, 0);
            w.WriteVarint(0);
            w.WriteTag(2, 0);
            w.WriteVarint((ulong)Integer(ref r, name));
            w.WriteBytesField(3, []);
            return;
        }

        Expect(ref r, JsonTokenType.String, name);
        w.WriteTag(1, 0);
        w.WriteVarint(1);
        w.WriteTag(2, 0);
        w.WriteVarint(0);
        WriteString(ref r, 3, w);
    }

    /// <summary>apiextensions' JSONSchemaPropsOrArray / OrBool / OrStringArray.</summary>
    private static void WriteSchemaUnion(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ProtoMessage m, string name, ProtoWriter w)
    {
        var schema = m.ByNumber(m.Form == ProtoForm.SchemaOrBool ? 2 : 1)!.Message!;
        if (r.TokenType == JsonTokenType.StartObject)
        {
            if (m.Form == ProtoForm.SchemaOrBool)
            {
                w.WriteTag(1, 0);
                w.WriteVarint(1);
                w.WriteTag(2, 2);
            }
            else
            {
                w.WriteTag(1, 2);
            }

            var at = w.BeginLength();
            WriteObject(ref r, json, schema, w);
            w.EndLength(at);
            return;
        }

        switch (m.Form)
        {
            case ProtoForm.SchemaOrBool when r.TokenType is JsonTokenType.True or JsonTokenType.False:
                w.WriteTag(1, 0);
                w.WriteVarint(r.TokenType == JsonTokenType.True ? 1UL : 0UL);
                return;
            case ProtoForm.SchemaOrArray when r.TokenType == JsonTokenType.StartArray:
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    w.WriteTag(2, 2);
                    var at = w.BeginLength();
                    WriteObject(ref r, json, schema, w);
                    w.EndLength(at);
                }

                return;
            case ProtoForm.SchemaOrStringArray when r.TokenType == JsonTokenType.StartArray:
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    Expect(ref r, JsonTokenType.String, name);
                    WriteString(ref r, 2, w);
                }

                return;
            default:
                throw Mismatch(ref r, name, "a schema");
        }
    }

    private static void WriteString(ref Utf8JsonReader r, int number, ProtoWriter w)
    {
        if (!r.ValueIsEscaped && !r.HasValueSequence)
        {
            w.WriteBytesField(number, r.ValueSpan);
            return;
        }

        var max = r.HasValueSequence ? (int)r.ValueSequence.Length : r.ValueSpan.Length;
        w.WriteTag(number, 2);
        var at = w.BeginLength();
        var span = w.GetSpan(max);
        w.Advance(r.CopyString(span));
        w.EndLength(at);
    }

    private static long Integer(ref Utf8JsonReader r, string name)
    {
        if (r.TokenType != JsonTokenType.Number)
        {
            throw Mismatch(ref r, name, "an integer");
        }

        if (r.TryGetInt64(out var v))
        {
            return v;
        }

        // 1.0 or 1e3: integral values written as floats still fit.
        var d = r.GetDouble();
        return d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue ? (long)d : throw Mismatch(ref r, name, "an integer");
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type, string name)
    {
        if (r.TokenType != type)
        {
            throw Mismatch(ref r, name, type switch
            {
                JsonTokenType.StartObject => "an object",
                JsonTokenType.StartArray => "an array",
                JsonTokenType.String => "a string",
                _ => type.ToString(),
            });
        }
    }

    private static ProtobufEncodeException Mismatch(ref Utf8JsonReader r, string name, string expected) =>
        new($"{name}: expected {expected}, found {r.TokenType}");

    private readonly record struct InlineMember(ProtoField Via, ProtoField Field, int Start, int End);
}
