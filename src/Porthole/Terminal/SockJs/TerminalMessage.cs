using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Porthole.Terminal.SockJs;

/// <summary>
/// kubecube-webconsole's terminal frame (Go's <c>TerminalMessage{Op, Data, SessionID string; Rows, Cols uint16}</c>):
/// written with every key, in that order, escaped as Go escapes; read with Go's case-insensitive keys.
/// </summary>
public sealed record TerminalMessage(string Op, string Data = "", string SessionID = "", ushort Rows = 0, ushort Cols = 0)
{
    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    public string ToJson()
    {
        var sb = new StringBuilder("{\"Op\":");
        GoJson.WriteString(sb, Op);
        sb.Append(",\"Data\":");
        GoJson.WriteString(sb, Data);
        sb.Append(",\"SessionID\":");
        GoJson.WriteString(sb, SessionID);
        sb.Append(CultureInfo.InvariantCulture, $",\"Rows\":{Rows},\"Cols\":{Cols}}}");
        return sb.ToString();
    }

    /// <summary>Parses a client frame; null with <paramref name="error"/> when it is not one.</summary>
    public static TerminalMessage? Parse(string json, out string error)
    {
        error = "";
        try
        {
            if (JsonSerializer.Deserialize<Wire>(json, ReadOptions) is { } wire)
            {
                return new TerminalMessage(wire.Op ?? "", wire.Data ?? "", wire.SessionID ?? "", wire.Rows, wire.Cols);
            }

            error = "the message is not a JSON object";
        }
        catch (JsonException e)
        {
            error = "malformed message: " + e.Message.Split(" Path:", 2)[0];
        }

        return null;
    }

    private sealed record Wire(string? Op, string? Data, string? SessionID, ushort Rows, ushort Cols);
}
