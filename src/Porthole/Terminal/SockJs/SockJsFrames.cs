using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Porthole.Terminal.SockJs;

/// <summary>
/// SockJS frames (https://github.com/sockjs/sockjs-protocol, protocol 0.3.3): <c>o</c> open,
/// <c>h</c> heartbeat, <c>a["m1","m2"]</c> messages, <c>c[code,"reason"]</c> close; and the
/// client's payloads, a JSON array of strings or a single JSON string.
/// </summary>
public static class SockJsFrames
{
    public const string Open = "o";
    public const string Heartbeat = "h";

    public static string Messages(IReadOnlyList<string> messages)
    {
        var sb = new StringBuilder("a[");
        for (var i = 0; i < messages.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            GoJson.WriteString(sb, messages[i]);
        }

        return sb.Append(']').ToString();
    }

    public static string Close(int code, string reason) =>
        string.Create(CultureInfo.InvariantCulture, $"c[{code},{GoJson.Quote(reason)}]");

    /// <summary>Decodes a client payload; false when it is not a string or an array of strings.</summary>
    public static bool TryDecode(string payload, out IReadOnlyList<string> messages)
    {
        messages = [];
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                messages = [root.GetString()!];
                return true;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var list = new List<string>(root.GetArrayLength());
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                list.Add(item.GetString()!);
            }

            messages = list;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
