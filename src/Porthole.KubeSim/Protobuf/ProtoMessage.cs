using System.Text;

namespace Porthole.KubeSim.Protobuf;

/// <summary>How a message appears in JSON: an object, or one of the special Kubernetes forms.</summary>
internal enum ProtoForm : byte
{
    Object,
    Time,
    MicroTime,
    Duration,
    Raw,
    Quantity,
    IntOrString,
    Items,
    SchemaOrArray,
    SchemaOrBool,
    SchemaOrStringArray,
}

internal enum ProtoKind : byte
{
    String,
    Int32,
    Int64,
    UInt32,
    UInt64,
    Bool,
    Double,
    Float,
    Bytes,
    Message,
}

/// <summary>A field: number, JSON name, type, and the Go facts that decide zero values.</summary>
internal sealed record ProtoField(int Number, string JsonName, ProtoKind Kind, ProtoMessage? Message, bool Repeated, bool IsMap, bool Pointer, bool OmitEmpty, bool Inline)
{
    public byte[] JsonNameUtf8 { get; } = Encoding.UTF8.GetBytes(JsonName);

    public System.Text.Json.JsonEncodedText EncodedName { get; } = System.Text.Json.JsonEncodedText.Encode(JsonName, Api.KubeJson.Options.Encoder);

    /// <summary>The wire type of one element (maps and messages are length-delimited).</summary>
    public int WireType => IsMap ? 2 : Kind switch
    {
        ProtoKind.String or ProtoKind.Bytes or ProtoKind.Message => 2,
        ProtoKind.Double => 1,
        ProtoKind.Float => 5,
        _ => 0,
    };

    /// <summary>A zero scalar here is left out of the JSON, as Go's encoding/json leaves it out.</summary>
    public bool DropsZero => OmitEmpty && !Pointer;

    /// <summary>Go's field name, as gogo-protobuf names it in its errors.</summary>
    public string GoName { get; } = char.ToUpperInvariant(JsonName[0]) + JsonName[1..];
}

/// <summary>One protobuf message of the schema.</summary>
internal sealed class ProtoMessage(string name, ProtoForm form)
{
    private ProtoField?[] _byNumber = [];
    private FieldRef[] _byName = [];

    public string Name { get; } = name;

    public ProtoForm Form { get; } = form;

    public ProtoField[] Fields { get; private set; } = [];

    /// <summary>Go's name for the type, as gogo-protobuf's errors print it ("Pod").</summary>
    public string GoName { get; } = name[(name.LastIndexOf('.') + 1)..];

    public int MaxNumber => _byNumber.Length - 1;

    public ProtoField? ByNumber(int number) => (uint)number < (uint)_byNumber.Length ? _byNumber[number] : null;

    /// <summary>The field a JSON property fills: a field of this message, or of an inline one (via).</summary>
    public bool TryFind(ReadOnlySpan<byte> jsonName, out ProtoField field, out ProtoField? via)
    {
        foreach (var r in _byName)
        {
            if (r.Name.Length == jsonName.Length && jsonName.SequenceEqual(r.Name))
            {
                field = r.Field;
                via = r.Via;
                return true;
            }
        }

        field = null!;
        via = null;
        return false;
    }

    internal void SetFields(ProtoField[] fields)
    {
        Fields = [.. fields.OrderBy(f => f.Number)];
        _byNumber = new ProtoField?[Fields.Length == 0 ? 1 : Fields[^1].Number + 1];
        foreach (var f in Fields)
        {
            _byNumber[f.Number] = f;
        }
    }

    /// <summary>Called once every message has its fields: inline members join the name index.</summary>
    internal void IndexNames()
    {
        var refs = new List<FieldRef>();
        foreach (var f in Fields)
        {
            if (f.Inline && f.Message is { } inline)
            {
                refs.AddRange(inline.Fields.Select(m => new FieldRef(m.JsonNameUtf8, m, f)));
            }
            else
            {
                refs.Add(new FieldRef(f.JsonNameUtf8, f, null));
            }
        }

        _byName = [.. refs];
    }

    public override string ToString() => Name;

    private readonly record struct FieldRef(byte[] Name, ProtoField Field, ProtoField? Via);
}
