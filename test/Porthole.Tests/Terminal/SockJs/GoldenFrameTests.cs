using Porthole.Terminal.SockJs;

namespace Porthole.Tests.Terminal.SockJs;

/// <summary>The golden frames of docs/protocols/sockjs-terminal.md, byte for byte.</summary>
public sealed class GoldenFrameTests
{
    [Fact]
    public void ToJson_Stdout_AllKeysInKubecubeOrder()
    {
        Assert.Equal("""{"Op":"stdout","Data":"hello\r\n","SessionID":"","Rows":0,"Cols":0}""", new TerminalMessage("stdout", "hello\r\n").ToJson());
    }

    [Fact]
    public void ToJson_ControlAndHtmlCharacters_EscapedAsGo()
    {
        var json = new TerminalMessage("stdout", "\u001b[1m<a&b>\u2028é\"\\\t").ToJson();

        Assert.Equal("""{"Op":"stdout","Data":"\u001b[1m\u003ca\u0026b\u003e\u2028é\"\\\t","SessionID":"","Rows":0,"Cols":0}""", json);
    }

    [Fact]
    public void ToJson_Toast_AllKeysPresent()
    {
        Assert.Equal("""{"Op":"toast","Data":"bye","SessionID":"","Rows":0,"Cols":0}""", new TerminalMessage("toast", "bye").ToJson());
    }

    [Fact]
    public void Messages_StdoutFrame_WrappedAsSockJsArray()
    {
        var frame = SockJsFrames.Messages([new TerminalMessage("stdout", "hi\n").ToJson(), "pong"]);

        Assert.Equal("""a["{\"Op\":\"stdout\",\"Data\":\"hi\\n\",\"SessionID\":\"\",\"Rows\":0,\"Cols\":0}","pong"]""", frame);
    }

    [Theory]
    [InlineData(1, "process exited", """c[1,"process exited"]""")]
    [InlineData(2, "unknown message type 'x'", """c[2,"unknown message type 'x'"]""")]
    [InlineData(2010, "Another connection still open", """c[2010,"Another connection still open"]""")]
    public void Close_CodeAndReason_Golden(int code, string reason, string expected) => Assert.Equal(expected, SockJsFrames.Close(code, reason));

    [Fact]
    public void Parse_GoStyleCaseInsensitiveKeys_Read()
    {
        var message = TerminalMessage.Parse("""{"op":"resize","rows":33,"COLS":101}""", out var error);

        Assert.Equal(new TerminalMessage("resize", "", "", 33, 101), message);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"Op":"resize","Rows":70000}""")]
    [InlineData("""{"Op":1}""")]
    public void Parse_Malformed_NullWithError(string json)
    {
        Assert.Null(TerminalMessage.Parse(json, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("""["a","b"]""", true)]
    [InlineData("\"a\"", true)]
    [InlineData("[1]", false)]
    [InlineData("{", false)]
    [InlineData("{}", false)]
    public void TryDecode_ClientPayloads_OnlyStringsAccepted(string payload, bool ok) => Assert.Equal(ok, SockJsFrames.TryDecode(payload, out _));
}
