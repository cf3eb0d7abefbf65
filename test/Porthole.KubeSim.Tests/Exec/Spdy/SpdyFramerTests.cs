using System.Buffers.Binary;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;
using Porthole.KubeSim.Exec.Spdy;

namespace Porthole.KubeSim.Tests.Exec.Spdy;

/// <summary>Golden SPDY/3.1 frames (docs/protocols/kubesim-exec.md, "SPDY/3.1").</summary>
public sealed class SpdyFramerTests
{
    [Fact]
    public void Data_StdoutChunk_StreamFlagsLengthThenBytes()
    {
        Assert.Equal("00000003" + "00" + "000003" + "68690a", Hex(SpdyFramer.Data(3, "hi\n"u8, fin: false)));
        Assert.Equal("00000003" + "01" + "000000", Hex(SpdyFramer.Data(3, [], fin: true)));
    }

    [Fact]
    public void ControlFrames_GoAwayRstAndPong_VersionThreeHeaders()
    {
        Assert.Equal("80030007" + "00000008" + "00000009" + "00000000", Hex(SpdyFramer.GoAway(9)));
        Assert.Equal("80030003" + "00000008" + "00000005" + "00000001", Hex(SpdyFramer.RstStream(5, 1)));
        var ping = new SpdyFrame(true, SpdyFrame.Ping, 0, 0, [0, 0, 0, 7]);
        Assert.Equal("80030006" + "00000004" + "00000007", Hex(SpdyFramer.Pong(ping)));
    }

    [Fact]
    public async Task ReadAsync_ClientSynStream_HeadersDecompressedWithTheDictionary()
    {
        // What spdystream sends to open kubectl's stdout stream: SYN_STREAM id 5, header block
        // {"streamtype": "stdout"} compressed by zlib with the SPDY/3 dictionary.
        var client = new Deflater(Deflater.BEST_COMPRESSION);
        client.SetDictionary(SpdyDictionary.Bytes);
        var block = Compress(client, Block(("streamtype", "stdout")));
        var payload = new byte[10 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, 5);
        block.CopyTo(payload, 10);
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 0x80030001);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        var second = Compress(client, Block(("streamtype", "stdin")));

        using var framer = new SpdyFramer(new MemoryStream(frame));
        var read = await framer.ReadAsync(CancellationToken.None);

        Assert.Equal((true, SpdyFrame.SynStream, 5u), (read!.Value.Control, read.Value.Type, read.Value.StreamId));
        Assert.Equal("stdout", framer.SynStreamHeaders(read.Value)["streamType"]);
        // Later blocks continue the same zlib stream.
        Assert.Equal("stdin", framer.DecodeHeaders(second)["streamtype"]);
        Assert.Null(await framer.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void SynReply_EmptyHeaders_ZlibBlockAnyReaderInflates()
    {
        using var framer = new SpdyFramer(new MemoryStream());
        var first = framer.SynReply(1);
        var second = framer.SynReply(3);

        Assert.Equal("80030002", Hex(first.AsSpan(0, 4).ToArray()));
        Assert.Equal(first.Length - 8, (first[5] << 16) | (first[6] << 8) | first[7]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(8)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(second.AsSpan(8)));
        var reader = new Inflater();
        foreach (var reply in new[] { first, second })
        {
            reader.SetInput(reply[12..]);
            var plain = new byte[16];
            Assert.Equal(4, reader.Inflate(plain));
            Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(plain));
        }
    }

    [Fact]
    public void Dictionary_SpdyThree_LengthAndEnds()
    {
        var dictionary = SpdyDictionary.Bytes;
        Assert.Equal(1423, dictionary.Length);
        Assert.Equal("000000076f7074696f6e73", Hex(dictionary[..11]));
        Assert.EndsWith(",*,enq=0.", Encoding.ASCII.GetString(dictionary), StringComparison.Ordinal);
    }

    private static byte[] Block(params (string Name, string Value)[] headers)
    {
        using var block = new MemoryStream();
        void Int(int n)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(b, n);
            block.Write(b);
        }

        Int(headers.Length);
        foreach (var (name, value) in headers)
        {
            Int(name.Length);
            block.Write(Encoding.ASCII.GetBytes(name));
            Int(value.Length);
            block.Write(Encoding.ASCII.GetBytes(value));
        }

        return block.ToArray();
    }

    private static byte[] Compress(Deflater deflater, byte[] plain)
    {
        deflater.SetInput(plain);
        deflater.Flush();
        using var output = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = deflater.Deflate(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
