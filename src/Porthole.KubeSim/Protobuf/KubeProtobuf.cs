using System.Text;
using System.Text.Json;

namespace Porthole.KubeSim.Protobuf;

/// <summary>An object read from a protobuf body: the envelope's type and the object as JSON bytes.</summary>
internal readonly record struct DecodedObject(string ApiVersion, string Kind, byte[] Json);

/// <summary>
/// The Kubernetes protobuf encoding of whole objects (docs/protocols/kubesim-protobuf.md): the
/// magic "k8s\0", then a runtime.Unknown {typeMeta{apiVersion, kind}, raw, contentEncoding,
/// contentType} whose raw is the object's message; and watch frames (a 4-byte big-endian
/// length, then a metav1.WatchEvent {type, object{raw: an enveloped object}}).
/// </summary>
internal static class KubeProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";
    public const string WatchMediaType = "application/vnd.kubernetes.protobuf;stream=watch";

    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public static ProtoSchema Schema => ProtoSchema.Kubernetes;

    /// <summary>Writes the enveloped object; false (nothing written) when its kind has no message.</summary>
    public static bool TryEncode(ReadOnlySpan<byte> json, ProtoWriter w)
    {
        var (apiVersion, kind) = TypeOf(json);
        if (Schema.Find(apiVersion, kind) is not { } m)
        {
            return false;
        }

        Encode(json, apiVersion, kind, m, w);
        return true;
    }

    public static void Encode(ReadOnlySpan<byte> json, string apiVersion, string kind, ProtoMessage m, ProtoWriter w)
    {
        var raw = BeginEnvelope(apiVersion, kind, w);
        var r = new Utf8JsonReader(json);
        r.Read();
        ProtoEncoder.WriteObject(ref r, json, m, w);
        EndEnvelope(raw, w);
    }

    /// <summary>A List: metadata from JSON, then each item's JSON as an element of items.</summary>
    public static void EncodeList(string apiVersion, string listKind, ProtoMessage list, ReadOnlySpan<byte> metadataJson, IEnumerable<byte[]> items, ProtoWriter w)
    {
        var raw = BeginEnvelope(apiVersion, listKind, w);
        var meta = list.ByNumber(1)!;
        w.WriteTag(meta.Number, 2);
        var at = w.BeginLength();
        var r = new Utf8JsonReader(metadataJson);
        r.Read();
        ProtoEncoder.WriteObject(ref r, metadataJson, meta.Message!, w);
        w.EndLength(at);
        var itemsField = list.ByNumber(2)!;
        foreach (var item in items)
        {
            w.WriteTag(itemsField.Number, 2);
            at = w.BeginLength();
            var ir = new Utf8JsonReader(item);
            ir.Read();
            ProtoEncoder.WriteObject(ref ir, item, itemsField.Message!, w);
            w.EndLength(at);
        }

        EndEnvelope(raw, w);
    }

    /// <summary>One watch frame: length, then WatchEvent{type, object: {raw: the enveloped object}}.</summary>
    public static bool TryEncodeWatchEvent(string type, ReadOnlySpan<byte> objectJson, ProtoWriter w)
    {
        var (apiVersion, kind) = TypeOf(objectJson);
        if (Schema.Find(apiVersion, kind) is not { } m)
        {
            return false;
        }

        var start = w.Length;
        w.WriteRaw([0, 0, 0, 0]);
        w.WriteBytesField(1, Encoding.UTF8.GetBytes(type));
        w.WriteTag(2, 2);
        var obj = w.BeginLength();
        w.WriteTag(1, 2);
        var raw = w.BeginLength();
        Encode(objectJson, apiVersion, kind, m, w);
        w.EndLength(raw);
        w.EndLength(obj);
        w.PatchInt32BigEndian(start, w.Length - start - 4);
        return true;
    }

    /// <summary>
    /// The envelope of a request body, failing as the protobuf serializer does ("empty data",
    /// "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
    /// "empty body", or the Unknown's unmarshalling error).
    /// </summary>
    public static (string ApiVersion, string Kind, ReadOnlyMemory<byte> Raw) ReadEnvelope(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.IsEmpty)
        {
            throw new ProtobufException("empty data");
        }

        if (!span.StartsWith(Magic))
        {
            throw new ProtobufException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        if (span.Length == Magic.Length)
        {
            throw new ProtobufException("empty body");
        }

        string apiVersion = "", kind = "";
        var rawStart = 0;
        var rawLength = 0;
        var r = new ProtoReader(span[Magic.Length..]);
        while (!r.End)
        {
            var (number, wireType) = r.ReadTag("Unknown");
            if (wireType != 2 && number is >= 1 and <= 4)
            {
                throw new ProtobufException($"proto: wrong wireType = {wireType} for field {(number switch { 1 => "TypeMeta", 2 => "Raw", 3 => "ContentEncoding", _ => "ContentType" })}");
            }

            switch (number)
            {
                case 1:
                    var tm = new ProtoReader(r.ReadLengthDelimited());
                    while (!tm.End)
                    {
                        var (n, wt) = tm.ReadTag("TypeMeta");
                        if (n is 1 or 2 && wt == 2)
                        {
                            var s = Encoding.UTF8.GetString(tm.ReadLengthDelimited());
                            if (n == 1)
                            {
                                apiVersion = s;
                            }
                            else
                            {
                                kind = s;
                            }
                        }
                        else
                        {
                            tm.Skip(wt);
                        }
                    }

                    break;
                case 2:
                    var raw = r.ReadLengthDelimited();
                    rawLength = raw.Length;
                    rawStart = Magic.Length + r.Position - rawLength;
                    break;
                default:
                    r.Skip(wireType);
                    break;
            }
        }

        return (apiVersion, kind, body.Slice(rawStart, rawLength));
    }

    /// <summary>The message as a JSON object with kind and apiVersion first.</summary>
    public static byte[] DecodeToJson(ReadOnlySpan<byte> raw, string apiVersion, string kind, ProtoMessage m)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, raw.Length * 2));
        using (var w = new Utf8JsonWriter(buffer, Api.KubeJson.Writer))
        {
            w.WriteStartObject();
            w.WriteString("kind"u8, kind);
            w.WriteString("apiVersion"u8, apiVersion);
            ProtoDecoder.WriteFields(raw, m, w, 0);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>apiVersion and kind of a JSON object, read off its top level.</summary>
    public static (string ApiVersion, string Kind) TypeOf(ReadOnlySpan<byte> json)
    {
        string apiVersion = "", kind = "";
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            return (apiVersion, kind);
        }

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var isApiVersion = r.ValueTextEquals("apiVersion"u8);
            var isKind = !isApiVersion && r.ValueTextEquals("kind"u8);
            r.Read();
            if ((isApiVersion || isKind) && r.TokenType == JsonTokenType.String)
            {
                if (isApiVersion)
                {
                    apiVersion = r.GetString()!;
                }
                else
                {
                    kind = r.GetString()!;
                }

                if (apiVersion.Length > 0 && kind.Length > 0)
                {
                    break;
                }
            }
            else
            {
                r.Skip();
            }
        }

        return (apiVersion, kind);
    }

    private static int BeginEnvelope(string apiVersion, string kind, ProtoWriter w)
    {
        w.WriteRaw(Magic);
        w.WriteTag(1, 2);
        var tm = w.BeginLength();
        w.WriteBytesField(1, Encoding.UTF8.GetBytes(apiVersion));
        w.WriteBytesField(2, Encoding.UTF8.GetBytes(kind));
        w.EndLength(tm);
        w.WriteTag(2, 2);
        return w.BeginLength();
    }

    private static void EndEnvelope(int raw, ProtoWriter w)
    {
        w.EndLength(raw);

        // contentEncoding and contentType: empty, as the API server writes them.
        w.WriteBytesField(3, []);
        w.WriteBytesField(4, []);
    }
}
