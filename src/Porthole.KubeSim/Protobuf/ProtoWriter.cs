using System.Buffers;
using System.Buffers.Binary;

namespace Porthole.KubeSim.Protobuf;

/// <summary>
/// Protobuf output into one pooled buffer. A length-delimited field reserves one byte for its
/// length and, when the content turns out longer than 127 bytes, moves it up by the extra
/// varint bytes: no sizing pass, no intermediate buffers.
/// </summary>
internal sealed class ProtoWriter : IDisposable
{
    private byte[] _buffer;
    private int _pos;

    public ProtoWriter(int capacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public int Length => _pos;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _pos);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _pos);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Reset() => _pos = 0;

    public void WriteTag(int number, int wireType) => WriteVarint(((ulong)(uint)number << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_pos++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_pos++] = (byte)value;
    }

    public void WriteFixed64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_pos), value);
        _pos += 8;
    }

    public void WriteFixed32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_pos), value);
        _pos += 4;
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_pos));
        _pos += bytes.Length;
    }

    /// <summary>Tag, length and bytes of a length-delimited scalar.</summary>
    public void WriteBytesField(int number, ReadOnlySpan<byte> bytes)
    {
        WriteTag(number, 2);
        WriteVarint((ulong)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>Space for UTF-8 text written in place: at most maxBytes, then Advance.</summary>
    public Span<byte> GetSpan(int maxBytes)
    {
        Ensure(maxBytes);
        return _buffer.AsSpan(_pos);
    }

    public void Advance(int count) => _pos += count;

    /// <summary>Fills a 4-byte big-endian length reserved earlier (a watch frame's prefix).</summary>
    public void PatchInt32BigEndian(int at, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(at, 4), value);

    /// <summary>Starts a length-delimited value: returns where its length goes.</summary>
    public int BeginLength()
    {
        Ensure(1);
        return _pos++;
    }

    /// <summary>Writes the length of the value begun at <paramref name="at"/>.</summary>
    public void EndLength(int at)
    {
        var length = _pos - at - 1;
        if (length < 0x80)
        {
            _buffer[at] = (byte)length;
            return;
        }

        var size = VarintSize((ulong)length);
        Ensure(size - 1);
        Buffer.BlockCopy(_buffer, at + 1, _buffer, at + size, length);
        var v = (uint)length;
        var i = at;
        while (v >= 0x80)
        {
            _buffer[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        _buffer[i] = (byte)v;
        _pos += size - 1;
    }

    public static int VarintSize(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private void Ensure(int extra)
    {
        if (_pos + extra <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _pos + extra));
        _buffer.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
