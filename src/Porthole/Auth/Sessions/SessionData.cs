using System.Text.Json.Serialization;

namespace Porthole.Auth.Sessions;

/// <summary>
/// What a session cookie carries (signed, not encrypted, except <see cref="EncryptedToken"/>):
/// the session id (UUIDv4), the user and groups, the cluster context of this session, and the
/// issue and expiry times in Unix seconds.
/// </summary>
public sealed record SessionData(
    [property: JsonPropertyName("sid")] Guid Id,
    [property: JsonPropertyName("usr")] string User,
    [property: JsonPropertyName("grp")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("ctx")] string? Cluster,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt)
{
    /// <summary>Token mode: the user's Kubernetes token, AES-GCM encrypted under the session secret.</summary>
    [JsonPropertyName("tok")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EncryptedToken { get; init; }

    public DateTimeOffset Expires => DateTimeOffset.FromUnixTimeSeconds(ExpiresAt);
}

[JsonSerializable(typeof(SessionData))]
[JsonSerializable(typeof(OidcFlowState))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
