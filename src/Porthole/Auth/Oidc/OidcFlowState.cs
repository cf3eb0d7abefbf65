using System.Text.Json.Serialization;

namespace Porthole.Auth.Sessions;

/// <summary>
/// What /oidc/start remembers for /oidc/callback, in a signed short-lived cookie: the state
/// (CSRF of the redirect), the nonce (binds the ID token), the PKCE verifier and where to go after.
/// </summary>
public sealed record OidcFlowState(
    [property: JsonPropertyName("s")] string State,
    [property: JsonPropertyName("n")] string Nonce,
    [property: JsonPropertyName("v")] string Verifier,
    [property: JsonPropertyName("r")] string ReturnTo,
    [property: JsonPropertyName("exp")] long ExpiresAt);
