using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Protobuf;

namespace Porthole.KubeSim.Server;

/// <summary>The encodings KubeSim answers in.</summary>
internal enum ResponseFormat
{
    Json,
    Yaml,
    Protobuf,
}

/// <summary>
/// Accept negotiation as the API server's: media ranges by q (ties keep header order), the first
/// one served wins; `*/*`, `application/*` and no Accept are JSON; a Table request (`as=`) is
/// answered in JSON (TableRequest). Anything else falls back to JSON.
/// </summary>
internal static class ContentNegotiation
{
    public static ResponseFormat Choose(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return ResponseFormat.Json;
        }

        var best = ResponseFormat.Json;
        var bestQ = -1.0;
        foreach (var entry in accept.Split(','))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            var table = false;
            foreach (var p in parts.AsSpan(1))
            {
                if (p.StartsWith("q=", StringComparison.Ordinal) && double.TryParse(p.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var qv))
                {
                    q = qv;
                }
                else if (p.StartsWith("as=", StringComparison.Ordinal))
                {
                    table = true;
                }
            }

            ResponseFormat? format = parts[0].ToLowerInvariant() switch
            {
                KubeProtobuf.MediaType when !table => ResponseFormat.Protobuf,
                "application/json" or "*/*" or "application/*" => ResponseFormat.Json,
                "application/yaml" when !table => ResponseFormat.Yaml,
                _ => null,
            };
            if (format is { } f && q > 0 && q > bestQ)
            {
                best = f;
                bestQ = q;
            }
        }

        return best;
    }

    /// <summary>A protobuf body (Content-Type application/vnd.kubernetes.protobuf).</summary>
    public static bool IsProtobufBody(HttpRequest request) =>
        string.Equals((request.ContentType ?? "").Split(';')[0].Trim(), KubeProtobuf.MediaType, StringComparison.OrdinalIgnoreCase);
}
