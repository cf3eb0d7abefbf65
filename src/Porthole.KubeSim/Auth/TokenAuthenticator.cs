using System.Security.Cryptography;
using System.Text;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Auth;

/// <summary>
/// Bearer-token authentication: the simulated users' static tokens (random per start unless
/// given; compared in constant time), then service account tokens from TokenRequest.
/// </summary>
public sealed class TokenAuthenticator
{
    private readonly IReadOnlyList<(string Token, UserInfo User)> _users;
    private readonly ServiceAccountTokens? _serviceAccounts;

    public TokenAuthenticator(IEnumerable<(string Token, UserInfo User)> users, ServiceAccountTokens? serviceAccounts = null)
    {
        _users = users.ToList();
        _serviceAccounts = serviceAccounts;
    }

    public IReadOnlyList<(string Token, UserInfo User)> Users => _users;

    public static string NewToken(string user) =>
        $"{user}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}";

    public string TokenOf(string userName) => _users.First(u => u.User.Name == userName).Token;

    /// <summary>The user a bearer token belongs to when it is good for this API server, or null.</summary>
    public UserInfo? Authenticate(string token) => Authenticate(token, AccessReviews.ApiAudiences)?.User;

    /// <summary>
    /// A token's user and the audiences among <paramref name="audiences"/> it is valid for (as a
    /// TokenReview asks). Static tokens are not audience-bound: they are good for the API server's
    /// own audiences only, as the API server's audience-agnostic authenticators are.
    /// </summary>
    public AuthenticatedToken? Authenticate(string token, IReadOnlyList<string> audiences)
    {
        var given = Encoding.UTF8.GetBytes(token);
        UserInfo? found = null;
        foreach (var (known, user) in _users)
        {
            if (CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(known)))
            {
                found = user;
            }
        }

        if (found is not null)
        {
            var valid = audiences.Intersect(AccessReviews.ApiAudiences, StringComparer.Ordinal).ToList();
            return valid.Count > 0 ? new AuthenticatedToken(found, valid) : null;
        }

        return _serviceAccounts?.Authenticate(token, audiences);
    }

    /// <summary>Reads "Authorization: Bearer x" (or the websocket bearer subprotocol kubectl may use).</summary>
    public UserInfo? Authenticate(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Authenticate(header["Bearer ".Length..].Trim());
        }

        foreach (var protocol in request.Headers.SecWebSocketProtocol.ToString().Split(',', StringSplitOptions.TrimEntries))
        {
            const string Prefix = "base64url.bearer.authorization.k8s.io.";
            if (protocol.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var encoded = protocol[Prefix.Length..].Replace('-', '+').Replace('_', '/');
                encoded = encoded.PadRight(encoded.Length + ((4 - (encoded.Length % 4)) % 4), '=');
                try
                {
                    return Authenticate(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
                }
                catch (FormatException)
                {
                    return null;
                }
            }
        }

        return null;
    }
}
