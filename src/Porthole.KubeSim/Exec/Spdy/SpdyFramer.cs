using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Porthole.KubeSim.Exec.Spdy;

/// <summary>One SPDY/3.1 frame as read: a control frame (type, flags, payload) or a data frame (stream, flags, data).</summary>
internal readonly record struct SpdyFrame(bool Control, ushort Type, byte Flags, uint StreamId, byte[] Payload)
{
    public const ushort SynStream = 1;
    public const ushort SynReply = 2;
    public const ushort RstStream = 3;
    public const ushort Settings = 4;
    public const ushort Ping = 6;
    public const ushort GoAway = 7;
    public const ushort Headers = 8;
    public const ushort WindowUpdate = 9;
    public const byte FlagFin = 0x01;

    public bool Fin => (Flags & FlagFin) != 0;
}

/// <summary>
/// Reads and writes SPDY/3.1 frames (docs/protocols/kubesim-exec.md) on one connection, with the
/// two header-block compression contexts a connection keeps: the peer's blocks are one zlib stream
/// using <see cref="SpdyDictionary"/>, ours one zlib stream sync-flushed per block (written
/// without the dictionary, which zlib readers accept).
/// </summary>
internal sealed class SpdyFramer : IDisposable
{
    private const int Version = 3;
    private const int MaxFrame = 16 << 20;
    private readonly Stream _transport;
    private readonly Inflater _inflater = new();
    private readonly MemoryStream _compressed = new();
    private readonly ZLibStream _compressor;

    public SpdyFramer(Stream transport)
    {
        _transport = transport;
        _compressor = new ZLibStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
    }

    /// <summary>The next frame, or null at the end of the connection.</summary>
    public async Task<SpdyFrame?> ReadAsync(CancellationToken ct)
    {
        var header = new byte[8];
        if (!await FillAsync(header, ct).ConfigureAwait(false))
        {
            return null;
        }

        var control = (header[0] & 0x80) != 0;
        var flags = header[4];
        var length = (header[5] << 16) | (header[6] << 8) | header[7];
        if (length > MaxFrame)
        {
            throw new InvalidDataException($"SPDY frame of {length} bytes");
        }

        var payload = new byte[length];
        if (!await FillAsync(payload, ct).ConfigureAwait(false))
        {
            return null;
        }

        if (control)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
            var stream = type is SpdyFrame.SynStream or SpdyFrame.SynReply or SpdyFrame.RstStream or SpdyFrame.Headers or SpdyFrame.WindowUpdate && length >= 4
                ? BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff
                : 0;
            return new SpdyFrame(true, type, flags, stream, payload);
        }

        return new SpdyFrame(false, 0, flags, BinaryPrimitives.ReadUInt32BigEndian(header) & 0x7fffffff, payload);
    }

    /// <summary>The name/value block of a SYN_STREAM (after stream id, associated id, priority and slot).</summary>
    public Dictionary<string, string> SynStreamHeaders(SpdyFrame frame) => DecodeHeaders(frame.Payload.AsSpan(10).ToArray());

    /// <summary>Decompresses one header block (continuing the peer's zlib stream) and parses its name/value pairs.</summary>
    public Dictionary<string, string> DecodeHeaders(byte[] compressed)
    {
        _inflater.SetInput(compressed);
        using var plain = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var n = _inflater.Inflate(buffer);
            if (n > 0)
            {
                plain.Write(buffer, 0, n);
                continue;
            }

            if (_inflater.IsNeedingDictionary)
            {
                _inflater.SetDictionary(SpdyDictionary.Bytes);
                continue;
            }

            break;
        }

        var block = plain.ToArray().AsSpan();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var count = BinaryPrimitives.ReadInt32BigEndian(block);
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(block, ref at);
            headers[name] = ReadString(block, ref at);
        }

        return headers;
    }

    /// <summary>A SYN_REPLY with an empty header block, accepting a stream the peer opened.</summary>
    public byte[] SynReply(uint streamId)
    {
        var block = EncodeHeaders([]);
        var payload = new byte[4 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, streamId & 0x7fffffff);
        block.CopyTo(payload, 4);
        return ControlFrame(SpdyFrame.SynReply, 0, payload);
    }

    public static byte[] Data(uint streamId, ReadOnlySpan<byte> data, bool fin)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7fffffff);
        frame[4] = fin ? SpdyFrame.FlagFin : (byte)0;
        WriteLength(frame, data.Length);
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }

    /// <summary>The peer's PING, returned as the answer (same id).</summary>
    public static byte[] Pong(SpdyFrame ping) => ControlFrame(SpdyFrame.Ping, 0, ping.Payload);

    public static byte[] GoAway(uint lastGoodStream) => ControlFrame(SpdyFrame.GoAway, 0, Ints(lastGoodStream & 0x7fffffff, 0));

    public static byte[] RstStream(uint streamId, uint status) => ControlFrame(SpdyFrame.RstStream, 0, Ints(streamId & 0x7fffffff, status));

    public void Dispose()
    {
        _compressor.Dispose();
        _compressed.Dispose();
    }

    private byte[] EncodeHeaders(IReadOnlyList<(string Name, string Value)> headers)
    {
        using var plain = new MemoryStream();
        Span<byte> n = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(n, headers.Count);
        plain.Write(n);
        foreach (var (name, value) in headers)
        {
            foreach (var s in new[] { name.ToLowerInvariant(), value })
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                BinaryPrimitives.WriteInt32BigEndian(n, bytes.Length);
                plain.Write(n);
                plain.Write(bytes);
            }
        }

        _compressed.SetLength(0);
        _compressor.Write(plain.ToArray());
        _compressor.Flush();
        return _compressed.ToArray();
    }

    private static string ReadString(ReadOnlySpan<byte> block, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(block[at..]);
        var s = Encoding.UTF8.GetString(block.Slice(at + 4, length));
        at += 4 + length;
        return s;
    }

    private static byte[] ControlFrame(ushort type, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8000 | Version);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), type);
        frame[4] = flags;
        WriteLength(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        return frame;
    }

    private static void WriteLength(byte[] frame, int length)
    {
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }

    private static byte[] Ints(uint a, uint b)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, a);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), b);
        return bytes;
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _transport.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
