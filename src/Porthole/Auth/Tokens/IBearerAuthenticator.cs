namespace Porthole.Auth.Tokens;

/// <summary>Turns an <c>Authorization: Bearer</c> token into a user (oidc: an ID token; token mode: a Kubernetes token).</summary>
public interface IBearerAuthenticator
{
    /// <summary>The token's user, or null when the token is not valid.</summary>
    Task<PortholeUser?> AuthenticateAsync(string token, CancellationToken cancellationToken);
}
