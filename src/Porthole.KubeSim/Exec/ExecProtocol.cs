using System.Net.WebSockets;
using System.Text;

namespace Porthole.KubeSim.Exec;

/// <summary>
/// A negotiated Kubernetes remote-command WebSocket subprotocol (channel.k8s.io family): how frames
/// carry a channel number and payload, and how the error channel reports the result.
/// </summary>
public sealed class ExecProtocol
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Error = 3;
    public const byte Resize = 4;
    public const byte Close = 255;

    /// <summary>The subprotocols the kubelet's WebSocket server accepts, newest first.</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        "v5.channel.k8s.io",
        "v4.channel.k8s.io",
        "v4.base64.channel.k8s.io",
        "channel.k8s.io",
        "base64.channel.k8s.io",
    ];

    /// <summary>The stream protocols of the SPDY transport (X-Stream-Protocol-Version), newest first.</summary>
    public static readonly IReadOnlyList<string> SupportedSpdy =
    [
        "v5.channel.k8s.io",
        "v4.channel.k8s.io",
        "v3.channel.k8s.io",
        "v2.channel.k8s.io",
        "channel.k8s.io",
    ];

    private ExecProtocol(string name, int version, bool base64, bool spdy = false)
    {
        Name = name;
        Version = version;
        Base64 = base64;
        Spdy = spdy;
    }

    /// <summary>The subprotocol name echoed in Sec-WebSocket-Protocol; empty when the client offered none.</summary>
    public string Name { get; }

    /// <summary>1 (channel.k8s.io and no header), 4 or 5.</summary>
    public int Version { get; }

    /// <summary>Text frames with an ASCII channel digit and base64 payload instead of binary frames.</summary>
    public bool Base64 { get; }

    /// <summary>v4+: the error channel carries a metav1.Status JSON (also on success); before: only a failure's text.</summary>
    public bool StatusAsJson => Version >= 4;

    /// <summary>Carried by SPDY streams, one per channel, rather than WebSocket frames.</summary>
    public bool Spdy { get; }

    /// <summary>The client may half-close stdin: v5 with [255, channel]; over SPDY by ending the stdin stream.</summary>
    public bool SupportsClose => Version >= 5 || Spdy;

    /// <summary>
    /// Picks the first offered subprotocol that is supported, in the client's order, as the kubelet
    /// does; each offered value may itself be a comma-separated list. No offer at all means the legacy
    /// binary protocol. Null when something was offered but nothing is supported (the server answers 403).
    /// </summary>
    public static ExecProtocol? Negotiate(IEnumerable<string> offered)
    {
        var names = offered
            .SelectMany(o => o.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        if (names.Count == 0)
        {
            return new ExecProtocol("", 1, false);
        }

        foreach (var name in names)
        {
            switch (name)
            {
                case "v5.channel.k8s.io":
                    return new ExecProtocol(name, 5, false);
                case "v4.channel.k8s.io":
                    return new ExecProtocol(name, 4, false);
                case "v4.base64.channel.k8s.io":
                    return new ExecProtocol(name, 4, true);
                case "channel.k8s.io":
                    return new ExecProtocol(name, 1, false);
                case "base64.channel.k8s.io":
                    return new ExecProtocol(name, 1, true);
            }
        }

        return null;
    }

    /// <summary>
    /// The first of the client's X-Stream-Protocol-Version values the kubelet's SPDY server supports
    /// (each value may itself be a comma-separated list); null when none is.
    /// </summary>
    public static ExecProtocol? NegotiateSpdy(IEnumerable<string> offered)
    {
        foreach (var name in offered.SelectMany(o => o.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var version = SupportedSpdy.Count - SupportedSpdy.ToList().IndexOf(name);
            if (version <= SupportedSpdy.Count)
            {
                return new ExecProtocol(name, version, false, spdy: true);
            }
        }

        return null;
    }

    /// <summary>One frame for <paramref name="channel"/>: [channel, data...] binary, or "digit" + base64(data) text.</summary>
    public (WebSocketMessageType Type, byte[] Frame) Encode(byte channel, ReadOnlySpan<byte> data)
    {
        if (Base64)
        {
            var text = (char)('0' + channel) + Convert.ToBase64String(data);
            return (WebSocketMessageType.Text, Encoding.ASCII.GetBytes(text));
        }

        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsSpan(1));
        return (WebSocketMessageType.Binary, frame);
    }

    /// <summary>Splits a client frame into channel and payload; false for an empty or malformed frame.</summary>
    public bool TryDecode(WebSocketMessageType type, ReadOnlySpan<byte> message, out byte channel, out byte[] payload)
    {
        channel = 0;
        payload = [];
        if (message.IsEmpty)
        {
            return false;
        }

        if (Base64 || type == WebSocketMessageType.Text)
        {
            var digit = message[0] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            channel = (byte)digit;
            try
            {
                payload = Convert.FromBase64String(Encoding.ASCII.GetString(message[1..]));
            }
            catch (FormatException)
            {
                return false;
            }

            return true;
        }

        channel = message[0];
        payload = message[1..].ToArray();
        return true;
    }
}
