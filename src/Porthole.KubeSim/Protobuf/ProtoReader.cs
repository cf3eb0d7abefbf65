using System.Buffers.Binary;

namespace Porthole.KubeSim.Protobuf;

/// <summary>A malformed protobuf body; the message is gogo-protobuf's, as the API server reports it.</summary>
internal sealed class ProtobufException(string message) : Exception(message);

/// <summary>Reads protobuf fields off a span, failing with gogo-protobuf's error texts.</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly int Position => _pos;

    public readonly bool End => _pos >= _data.Length;

    /// <summary>The next field's number and wire type (checked for the message named in errors).</summary>
    public (int Number, int WireType) ReadTag(string message)
    {
        var tag = ReadVarint();
        var wireType = (int)(tag & 7);
        var number = (long)(tag >> 3);
        if (wireType == 4)
        {
            throw new ProtobufException($"proto: {message}: wiretype end group for non-group");
        }

        if (number <= 0 || number > int.MaxValue)
        {
            throw new ProtobufException($"proto: {message}: illegal tag {number} (wire type {wireType})");
        }

        return ((int)number, wireType);
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift >= 64)
            {
                throw new ProtobufException("proto: integer overflow");
            }

            if (_pos >= _data.Length)
            {
                throw new ProtobufException("unexpected EOF");
            }

            var b = _data[_pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if ((long)length < 0)
        {
            throw new ProtobufException("proto: negative length found during unmarshaling");
        }

        if (length > (ulong)(_data.Length - _pos))
        {
            throw new ProtobufException("unexpected EOF");
        }

        var span = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return span;
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _pos < 8)
        {
            throw new ProtobufException("unexpected EOF");
        }

        var v = BinaryPrimitives.ReadUInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return v;
    }

    public uint ReadFixed32()
    {
        if (_data.Length - _pos < 4)
        {
            throw new ProtobufException("unexpected EOF");
        }

        var v = BinaryPrimitives.ReadUInt32LittleEndian(_data[_pos..]);
        _pos += 4;
        return v;
    }

    /// <summary>Skips a value of the wire type (a field the schema does not know).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                ReadFixed64();
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 5:
                ReadFixed32();
                break;
            case 3:
                SkipGroup();
                break;
            default:
                throw new ProtobufException($"proto: illegal wireType {wireType}");
        }
    }

    private void SkipGroup()
    {
        for (var depth = 1; depth > 0;)
        {
            var tag = ReadVarint();
            var wt = (int)(tag & 7);
            if (wt == 4)
            {
                depth--;
            }
            else if (wt == 3)
            {
                depth++;
            }
            else
            {
                Skip(wt);
            }
        }
    }
}
