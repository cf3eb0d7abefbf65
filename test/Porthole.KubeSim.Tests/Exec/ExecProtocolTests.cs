using System.Net.WebSockets;
using System.Text;
using Porthole.KubeSim.Exec;

namespace Porthole.KubeSim.Tests.Exec;

public sealed class ExecProtocolTests
{
    [Theory]
    [InlineData("v5.channel.k8s.io,v4.channel.k8s.io", "v5.channel.k8s.io", 5, false)]
    [InlineData("v4.channel.k8s.io, v5.channel.k8s.io", "v4.channel.k8s.io", 4, false)]
    [InlineData("v3.channel.k8s.io,v4.base64.channel.k8s.io", "v4.base64.channel.k8s.io", 4, true)]
    [InlineData("base64.channel.k8s.io", "base64.channel.k8s.io", 1, true)]
    [InlineData("channel.k8s.io", "channel.k8s.io", 1, false)]
    public void Negotiate_Offered_PicksClientsFirstSupported(string offered, string name, int version, bool base64)
    {
        var protocol = ExecProtocol.Negotiate([offered])!;

        Assert.Equal(name, protocol.Name);
        Assert.Equal(version, protocol.Version);
        Assert.Equal(base64, protocol.Base64);
    }

    [Fact]
    public void Negotiate_NothingOffered_LegacyBinary()
    {
        var protocol = ExecProtocol.Negotiate([])!;

        Assert.Equal("", protocol.Name);
        Assert.False(protocol.StatusAsJson);
        Assert.False(protocol.Base64);
    }

    [Fact]
    public void Negotiate_OnlyUnsupported_Null() =>
        Assert.Null(ExecProtocol.Negotiate(["v2.channel.k8s.io", "v3.channel.k8s.io"]));

    [Fact]
    public void Encode_Base64_DigitAndBase64Text()
    {
        var protocol = ExecProtocol.Negotiate(["v4.base64.channel.k8s.io"])!;
        var (type, frame) = protocol.Encode(ExecProtocol.Stderr, "hi"u8);

        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("2aGk=", Encoding.ASCII.GetString(frame));
    }

    [Fact]
    public void TryDecode_BinaryFrame_ChannelAndPayload()
    {
        var protocol = ExecProtocol.Negotiate(["v5.channel.k8s.io"])!;

        Assert.True(protocol.TryDecode(WebSocketMessageType.Binary, [255, 0], out var channel, out var payload));
        Assert.Equal(ExecProtocol.Close, channel);
        Assert.Equal([ExecProtocol.Stdin], payload);
        Assert.False(protocol.TryDecode(WebSocketMessageType.Binary, [], out _, out _));
    }
}
