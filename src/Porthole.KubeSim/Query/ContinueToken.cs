using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <summary>
/// The opaque "continue" token of paged lists, in the real API server's format: unpadded
/// base64url of {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}, where start is the first
/// key of the next page (the last returned key plus a NUL).
/// </summary>
public static class ContinueToken
{
    private const string Version = "meta.k8s.io/v1";

    /// <summary>
    /// The 410 message when the token's resourceVersion has been compacted; the Status then carries
    /// a fresh token (rv -1) in metadata.continue that continues at the latest version.
    /// </summary>
    public const string InconsistentContinueMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list "
        + "without the continue parameter, or use the continue token in this response to retrieve the remainder of the "
        + "results. Continuing with the provided token results in an inconsistent list - objects that were created, "
        + "modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    /// <summary>A token to continue after <paramref name="lastKey"/> (the store's "namespace/name") at <paramref name="resourceVersion"/>.</summary>
    public static string Encode(long resourceVersion, string lastKey)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("v", Version);
            writer.WriteNumber("rv", resourceVersion);
            writer.WriteString("start", lastKey + "\0");
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>
    /// Decodes a token into the list resourceVersion it pins (-1: continue at the latest) and the
    /// key to continue after.
    /// </summary>
    /// <exception cref="ApiException">400 BadRequest "invalid continue token: ..." as the real server words it.</exception>
    public static (long ResourceVersion, string StartAfter) Decode(string token)
    {
        byte[] data;
        try
        {
            data = Base64Url.DecodeFromChars(token.TrimEnd('=').AsSpan());
        }
        catch (FormatException)
        {
            throw Invalid($"continue key is not valid: illegal base64 data at input byte {IllegalByte(token)}");
        }

        string? version;
        long rv;
        string start;
        try
        {
            using var doc = JsonDocument.Parse(data);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("continue key is not valid: json: cannot unmarshal " + GoKind(root.ValueKind) + " into Go value of type storage.continueToken");
            }

            version = root.TryGetProperty("v", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "";
            rv = root.TryGetProperty("rv", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out var n) ? n : 0;
            start = root.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? "" : "";
        }
        catch (JsonException e)
        {
            throw Invalid("continue key is not valid: " + e.Message);
        }

        if (version != Version)
        {
            throw Invalid($"continue key is not valid: server does not recognize this encoded version {LabelValidation.GoQuote(version ?? "")}");
        }

        if (rv == 0)
        {
            throw Invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        if (start.Length == 0)
        {
            throw Invalid("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
        }

        var key = start.StartsWith('/') ? start : "/" + start;
        if (CleanPath(key) != key)
        {
            throw Invalid($"continue key is not valid: {start}");
        }

        return (rv, start.EndsWith('\0') ? start[..^1] : start);
    }

    /// <summary>
    /// 410 Expired when the token's resourceVersion is older than the oldest one still kept
    /// (<paramref name="compactedResourceVersion"/>); the error carries a token to resume at the latest version.
    /// </summary>
    public static void EnsureNotCompacted(long tokenResourceVersion, string startAfter, long compactedResourceVersion)
    {
        if (tokenResourceVersion > 0 && tokenResourceVersion < compactedResourceVersion)
        {
            throw new ApiException(410, "Expired", InconsistentContinueMessage) { ListContinue = Encode(-1, startAfter) };
        }
    }

    private static ApiException Invalid(string why) => ApiException.BadRequest("invalid continue token: " + why);

    private static string GoKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    /// <summary>The offset of the first byte Go's RawURLEncoding rejects.</summary>
    private static int IllegalByte(string token)
    {
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return i;
            }
        }

        // Only a dangling final character (length % 4 == 1) is left to reject.
        return token.Length - 1;
    }

    /// <summary>path.Clean for the absolute keys a token may name.</summary>
    private static string CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(segment);
        }

        var sb = new StringBuilder("/");
        sb.AppendJoin('/', parts);
        return sb.ToString();
    }
}
