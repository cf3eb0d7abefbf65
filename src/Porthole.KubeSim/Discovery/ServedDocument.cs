using System.Security.Cryptography;

namespace Porthole.KubeSim.Discovery;

/// <summary>
/// A pre-serialized response body with its Content-Type and a strong ETag (quoted hex hash of
/// the body), built once and served to every request until the resource set changes.
/// </summary>
public sealed class ServedDocument
{
    public ServedDocument(byte[] body, string contentType)
    {
        Body = body;
        ContentType = contentType;
        Hash = Convert.ToHexString(SHA512.HashData(body));
        ETag = $"\"{Hash}\"";
    }

    public byte[] Body { get; }

    public string ContentType { get; }

    /// <summary>Upper-case hex SHA-512 of the body, as in the /openapi/v3 index URLs.</summary>
    public string Hash { get; }

    public string ETag { get; }

    /// <summary>True when an If-None-Match header names this document, so a 304 suffices.</summary>
    public bool MatchesIfNoneMatch(string? ifNoneMatch) =>
        !string.IsNullOrEmpty(ifNoneMatch) &&
        ifNoneMatch.Split(',', StringSplitOptions.TrimEntries).Any(t => t == ETag || t == "*" || t == "W/" + ETag);
}
