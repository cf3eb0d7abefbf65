using System.Text.Json;

namespace Porthole.KubeSim.Protobuf;

/// <summary>
/// Kubernetes protobuf to JSON, written with a Utf8JsonWriter as the API server would re-encode
/// the Go object: zero scalars of non-pointer omitempty fields are left out (Go clients marshal
/// every non-pointer field), pointer fields and fields without omitempty keep them, an empty
/// Time is null. Repeated fields may be interleaved (they are gathered into one array); of a
/// singular field seen twice the last wins. Unknown fields are skipped, as gogo-protobuf does.
/// </summary>
internal static partial class ProtoDecoder
{
    private const int MaxDepth = 100;

    /// <summary>Writes the message as a JSON object.</summary>
    public static void WriteObject(ReadOnlySpan<byte> data, ProtoMessage m, Utf8JsonWriter w, int depth = 0)
    {
        w.WriteStartObject();
        WriteFields(data, m, w, depth);
        w.WriteEndObject();
    }

    /// <summary>Writes the message's fields into the JSON object being written.</summary>
    public static void WriteFields(ReadOnlySpan<byte> data, ProtoMessage m, Utf8JsonWriter w, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtobufException("proto: exceeded maximum nesting depth");
        }

        // Where each known field occurs last (-1: a repeated field already written).
        Span<int> last = m.MaxNumber < 128 ? stackalloc int[m.MaxNumber + 1] : new int[m.MaxNumber + 1];
        last.Fill(int.MinValue);
        var scan = new ProtoReader(data);
        while (!scan.End)
        {
            var at = scan.Position;
            var (number, wireType) = scan.ReadTag(m.GoName);
            if (m.ByNumber(number) is { } f)
            {
                CheckWireType(f, wireType);
                last[number] = at;
            }

            scan.Skip(wireType);
        }

        var r = new ProtoReader(data);
        while (!r.End)
        {
            var at = r.Position;
            var (number, wireType) = r.ReadTag(m.GoName);
            var f = m.ByNumber(number);
            if (f is null || last[number] == -1 || (!f.Repeated && !f.IsMap && last[number] != at))
            {
                r.Skip(wireType);
                continue;
            }

            if (f.Repeated || f.IsMap)
            {
                last[number] = -1;
                WriteRepeated(data, at, f, m, w, depth);
                r.Skip(wireType);
                continue;
            }

            if (f.Inline)
            {
                WriteFields(r.ReadLengthDelimited(), f.Message!, w, depth + 1);
                continue;
            }

            WriteSingle(ref r, wireType, f, w, depth);
        }
    }

    /// <summary>Every occurrence of a repeated or map field from <paramref name="from"/> on, as one JSON array or object.</summary>
    private static void WriteRepeated(ReadOnlySpan<byte> data, int from, ProtoField f, ProtoMessage m, Utf8JsonWriter w, int depth)
    {
        w.WritePropertyName(f.EncodedName);
        if (f.IsMap)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartArray();
        }

        var r = new ProtoReader(data[from..]);
        while (!r.End)
        {
            var (number, wireType) = r.ReadTag(m.GoName);
            if (number != f.Number)
            {
                r.Skip(wireType);
                continue;
            }

            if (f.IsMap)
            {
                WriteMapEntry(r.ReadLengthDelimited(), f, w, depth);
            }
            else if (wireType == 2 && f.WireType != 2)
            {
                // A packed run of scalars.
                var packed = new ProtoReader(r.ReadLengthDelimited());
                while (!packed.End)
                {
                    WriteScalarValue(ref packed, f.WireType, f, w);
                }
            }
            else if (f.Kind == ProtoKind.Message)
            {
                WriteMessageValue(r.ReadLengthDelimited(), f.Message!, w, depth);
            }
            else
            {
                WriteScalarValue(ref r, wireType, f, w);
            }
        }

        if (f.IsMap)
        {
            w.WriteEndObject();
        }
        else
        {
            w.WriteEndArray();
        }
    }

    private static void WriteMapEntry(ReadOnlySpan<byte> entry, ProtoField f, Utf8JsonWriter w, int depth)
    {
        ReadOnlySpan<byte> key = [];
        ReadOnlySpan<byte> value = [];
        var hasValue = false;
        ulong scalar = 0;
        var r = new ProtoReader(entry);
        while (!r.End)
        {
            var (number, wireType) = r.ReadTag("MapEntry");
            switch (number)
            {
                case 1 when wireType == 2:
                    key = r.ReadLengthDelimited();
                    break;
                case 2 when wireType == 2:
                    value = r.ReadLengthDelimited();
                    hasValue = true;
                    break;
                case 2 when wireType == 0:
                    scalar = r.ReadVarint();
                    hasValue = true;
                    break;
                default:
                    r.Skip(wireType);
                    break;
            }
        }

        w.WritePropertyName(Utf8(key));
        switch (f.Kind)
        {
            case ProtoKind.String:
                w.WriteStringValue(Utf8(value));
                break;
            case ProtoKind.Bytes:
                w.WriteBase64StringValue(value);
                break;
            case ProtoKind.Message:
                WriteMessageValue(value, f.Message!, w, depth);
                break;
            case ProtoKind.Bool:
                w.WriteBooleanValue(scalar != 0);
                break;
            default:
                w.WriteNumberValue(hasValue ? (long)scalar : 0);
                break;
        }
    }

    private static void WriteSingle(ref ProtoReader r, int wireType, ProtoField f, Utf8JsonWriter w, int depth)
    {
        switch (f.Kind)
        {
            case ProtoKind.String:
                var s = r.ReadLengthDelimited();
                if (s.Length > 0 || !f.DropsZero)
                {
                    w.WriteString(f.EncodedName, Utf8(s));
                }

                return;
            case ProtoKind.Bytes:
                var b = r.ReadLengthDelimited();
                if (b.Length > 0 || !f.OmitEmpty)
                {
                    w.WriteBase64String(f.EncodedName, b);
                }

                return;
            case ProtoKind.Message:
                var data = r.ReadLengthDelimited();
                if (f.DropsZero && f.Message!.Form == ProtoForm.IntOrString && IsZeroIntOrString(data))
                {
                    // Go would write 0, and the API server's defaulting then replaces it (a Service's targetPort).
                    return;
                }

                w.WritePropertyName(f.EncodedName);
                WriteMessageValue(data, f.Message!, w, depth);
                return;
        }

        var value = ReadScalar(ref r, wireType);
        if (value == 0 && f.DropsZero)
        {
            return;
        }

        w.WritePropertyName(f.EncodedName);
        WriteScalar(value, f.Kind, w);
    }

    private static void WriteScalarValue(ref ProtoReader r, int wireType, ProtoField f, Utf8JsonWriter w)
    {
        switch (f.Kind)
        {
            case ProtoKind.String:
                w.WriteStringValue(Utf8(r.ReadLengthDelimited()));
                break;
            case ProtoKind.Bytes:
                w.WriteBase64StringValue(r.ReadLengthDelimited());
                break;
            default:
                WriteScalar(ReadScalar(ref r, wireType), f.Kind, w);
                break;
        }
    }

    private static ulong ReadScalar(ref ProtoReader r, int wireType) => wireType switch
    {
        0 => r.ReadVarint(),
        1 => r.ReadFixed64(),
        _ => r.ReadFixed32(),
    };

    private static void WriteScalar(ulong value, ProtoKind kind, Utf8JsonWriter w)
    {
        switch (kind)
        {
            case ProtoKind.Int32:
                w.WriteNumberValue((int)value);
                break;
            case ProtoKind.Int64:
                w.WriteNumberValue((long)value);
                break;
            case ProtoKind.UInt32:
                w.WriteNumberValue((uint)value);
                break;
            case ProtoKind.UInt64:
                w.WriteNumberValue(value);
                break;
            case ProtoKind.Bool:
                w.WriteBooleanValue(value != 0);
                break;
            case ProtoKind.Double:
                w.WriteNumberValue(BitConverter.Int64BitsToDouble((long)value));
                break;
            case ProtoKind.Float:
                w.WriteNumberValue(BitConverter.UInt32BitsToSingle((uint)value));
                break;
        }
    }

    private static void CheckWireType(ProtoField f, int wireType)
    {
        var ok = f.WireType == wireType || ((f.Repeated) && wireType == 2);
        if (!ok)
        {
            throw new ProtobufException($"proto: wrong wireType = {wireType} for field {f.GoName}");
        }
    }

    private static bool IsZeroIntOrString(ReadOnlySpan<byte> data) => Varint(data, 1) == 0 && Varint(data, 2) == 0 && Bytes(data, 3).IsEmpty;

    /// <summary>
    /// Strings go to JSON as UTF-8; Go's encoding/json replaces invalid bytes with U+FFFD, and so
    /// does this (Utf8JsonWriter would refuse them).
    /// </summary>
    private static ReadOnlySpan<byte> Utf8(ReadOnlySpan<byte> bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes) ? bytes : System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes));
}
