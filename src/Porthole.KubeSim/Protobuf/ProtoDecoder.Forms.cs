using System.Text.Json;

namespace Porthole.KubeSim.Protobuf;

internal static partial class ProtoDecoder
{
    /// <summary>A message value in its JSON form: an object, or a Time, Quantity, IntOrString, raw JSON...</summary>
    private static void WriteMessageValue(ReadOnlySpan<byte> data, ProtoMessage m, Utf8JsonWriter w, int depth)
    {
        switch (m.Form)
        {
            case ProtoForm.Object:
                WriteObject(data, m, w, depth + 1);
                break;
            case ProtoForm.Time or ProtoForm.MicroTime:
                WriteTime(data, m.Form == ProtoForm.MicroTime, w);
                break;
            case ProtoForm.Duration:
                w.WriteStringValue(GoFormats.FormatDuration((long)Varint(data, 1)));
                break;
            case ProtoForm.Quantity:
                // A zero Quantity marshals as "0".
                w.WriteStringValue(Bytes(data, 1) is { Length: > 0 } q ? Utf8(q) : "0"u8);
                break;
            case ProtoForm.IntOrString:
                if (Varint(data, 1) == 1)
                {
                    w.WriteStringValue(Utf8(Bytes(data, 3)));
                }
                else
                {
                    w.WriteNumberValue((int)Varint(data, 2));
                }

                break;
            case ProtoForm.Raw:
                var raw = Bytes(data, 1);
                if (raw.Length == 0)
                {
                    w.WriteNullValue();
                }
                else
                {
                    try
                    {
                        w.WriteRawValue(raw, skipInputValidation: false);
                    }
                    catch (JsonException e)
                    {
                        throw new ProtobufException($"embedded JSON is malformed: {e.Message}");
                    }
                }

                break;
            case ProtoForm.Items:
                w.WriteStartArray();
                ForEach(data, 1, (s, writer) => writer.WriteStringValue(Utf8(s)), w);
                w.WriteEndArray();
                break;
            default:
                WriteSchemaUnion(data, m, w, depth);
                break;
        }
    }

    /// <summary>Go's MarshalJSON of JSONSchemaPropsOrArray / OrBool / OrStringArray.</summary>
    private static void WriteSchemaUnion(ReadOnlySpan<byte> data, ProtoMessage m, Utf8JsonWriter w, int depth)
    {
        var schemaField = m.Form == ProtoForm.SchemaOrBool ? 2 : 1;
        var schema = m.ByNumber(schemaField)!.Message!;
        var list = m.Form == ProtoForm.SchemaOrBool ? false : Has(data, 2);
        if (list)
        {
            w.WriteStartArray();
            var r = new ProtoReader(data);
            while (!r.End)
            {
                var (number, wireType) = r.ReadTag(m.GoName);
                if (number == 2 && wireType == 2)
                {
                    var item = r.ReadLengthDelimited();
                    if (m.Form == ProtoForm.SchemaOrArray)
                    {
                        WriteObject(item, schema, w, depth + 1);
                    }
                    else
                    {
                        w.WriteStringValue(Utf8(item));
                    }
                }
                else
                {
                    r.Skip(wireType);
                }
            }

            w.WriteEndArray();
        }
        else if (Has(data, schemaField))
        {
            WriteObject(Bytes(data, schemaField), schema, w, depth + 1);
        }
        else if (m.Form == ProtoForm.SchemaOrBool)
        {
            w.WriteBooleanValue(Varint(data, 1) != 0);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static void WriteTime(ReadOnlySpan<byte> data, bool micro, Utf8JsonWriter w)
    {
        if (data.IsEmpty)
        {
            // metav1.Time's zero value marshals as null.
            w.WriteNullValue();
            return;
        }

        var seconds = (long)Varint(data, 1);
        var nanos = (int)Varint(data, 2);
        w.WriteStringValue(GoFormats.FormatTime(seconds, micro, nanos));
    }

    /// <summary>The last varint of a field in a small message (0 when absent).</summary>
    private static ulong Varint(ReadOnlySpan<byte> data, int field) => Last(data, field, out var v, out _) ? v : 0;

    /// <summary>The last length-delimited value of a field (empty when absent).</summary>
    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> data, int field) => Last(data, field, out _, out var b) ? b : [];

    private static bool Has(ReadOnlySpan<byte> data, int field) => Last(data, field, out _, out _);

    /// <summary>The last occurrence of a field: its varint or its bytes, by wire type.</summary>
    private static bool Last(ReadOnlySpan<byte> data, int field, out ulong varint, out ReadOnlySpan<byte> bytes)
    {
        varint = 0;
        bytes = [];
        var found = false;
        var r = new ProtoReader(data);
        while (!r.End)
        {
            var (number, wireType) = r.ReadTag("value");
            if (number != field)
            {
                r.Skip(wireType);
                continue;
            }

            found = true;
            switch (wireType)
            {
                case 0:
                    varint = r.ReadVarint();
                    break;
                case 2:
                    bytes = r.ReadLengthDelimited();
                    break;
                default:
                    r.Skip(wireType);
                    break;
            }
        }

        return found;
    }

    private delegate void BytesAction(ReadOnlySpan<byte> value, Utf8JsonWriter w);

    private static void ForEach(ReadOnlySpan<byte> data, int field, BytesAction action, Utf8JsonWriter w)
    {
        var r = new ProtoReader(data);
        while (!r.End)
        {
            var (number, wireType) = r.ReadTag("value");
            if (number == field && wireType == 2)
            {
                action(r.ReadLengthDelimited(), w);
            }
            else
            {
                r.Skip(wireType);
            }
        }
    }
}
