using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Porthole.Auth.Tokens;
using Porthole.Hosting;

namespace Porthole.Auth.Oidc;

/// <summary>
/// Validates ID tokens of the configured issuer: signature by a key of its JWKS (refetched once
/// when the key id is unknown: key rotation), issuer, audience (the client id), lifetime against
/// the injected clock, and for the sign-in callback the nonce. The user is the configured user
/// claim, the groups the configured groups claim. Bearer tokens are cached by
/// <see cref="ValidatedTokenCache"/>.
/// </summary>
public sealed partial class OidcTokenValidator(
    PortholeOptions options, OidcMetadata metadata, ValidatedTokenCache cache, TimeProvider time, ILogger<OidcTokenValidator> logger) : IBearerAuthenticator
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<PortholeUser?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (cache.Get(token) is { } cached)
        {
            return cached;
        }

        var (user, expires) = await ValidateAsync(token, nonce: null, AuthenticatedBy.Bearer, cancellationToken);
        if (user is not null)
        {
            cache.Add(token, user, expires);
        }

        return user;
    }

    /// <summary>The user of an ID token from the code exchange, whose nonce must be <paramref name="nonce"/>.</summary>
    public async Task<PortholeUser?> ValidateIdTokenAsync(string token, string nonce, CancellationToken cancellationToken) =>
        (await ValidateAsync(token, nonce, AuthenticatedBy.Cookie, cancellationToken)).User;

    private async Task<(PortholeUser? User, DateTimeOffset? Expires)> ValidateAsync(string token, string? nonce, AuthenticatedBy by, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token))
        {
            return (null, null);
        }

        var snapshot = await metadata.GetAsync(cancellationToken);
        var result = await _handler.ValidateTokenAsync(token, Parameters(snapshot));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            var refreshed = await metadata.RefreshForUnknownKeyAsync(snapshot, cancellationToken);
            if (!ReferenceEquals(refreshed, snapshot))
            {
                result = await _handler.ValidateTokenAsync(token, Parameters(refreshed));
            }
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            LogRejected(logger, result.Exception?.GetType().Name ?? "invalid");
            return (null, null);
        }

        if (nonce is not null && (!jwt.TryGetPayloadValue<string>("nonce", out var actual) || !FixedTimeEquals(actual, nonce)))
        {
            LogRejected(logger, "nonce mismatch");
            return (null, null);
        }

        var name = jwt.Claims.FirstOrDefault(c => c.Type == options.Oidc.UserClaim)?.Value;
        if (string.IsNullOrEmpty(name))
        {
            LogRejected(logger, $"no '{options.Oidc.UserClaim}' claim");
            return (null, null);
        }

        var groups = jwt.Claims.Where(c => c.Type == options.Oidc.GroupsClaim).Select(c => c.Value).Where(g => g.Length > 0).Distinct().ToArray();
        return (new PortholeUser(name, groups, by), jwt.ValidTo == DateTime.MinValue ? null : new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    private TokenValidationParameters Parameters(OidcMetadata.Snapshot snapshot) => new()
    {
        ValidIssuer = snapshot.Configuration.Issuer,
        ValidAudience = options.Oidc.ClientId,
        IssuerSigningKeys = snapshot.Keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
            SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        TryAllIssuerSigningKeys = false,
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } exp && exp + ClockSkew > now && (notBefore is not { } nbf || nbf - ClockSkew <= now);
        },
    };

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    [LoggerMessage(EventId = 1221, Level = LogLevel.Information, Message = "Rejected an OIDC ID token: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
