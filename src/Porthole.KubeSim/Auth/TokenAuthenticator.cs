using System.Security.Cryptography;
using System.Text;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Auth;

/// <summary>
/// Bearer-token authentication for the simulated users. Tokens are random per start unless
/// given; comparison is constant-time.
/// </summary>
public sealed class TokenAuthenticator
{
    private readonly IReadOnlyList<(string Token, UserInfo User)> _users;

    public TokenAuthenticator(IEnumerable<(string Token, UserInfo User)> users)
    {
        _users = users.ToList();
    }

    public IReadOnlyList<(string Token, UserInfo User)> Users => _users;

    public static string NewToken(string user) =>
        $"{user}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}";

    public string TokenOf(string userName) => _users.First(u => u.User.Name == userName).Token;

    /// <summary>The user a bearer token belongs to, or null.</summary>
    public UserInfo? Authenticate(string token)
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

        return found;
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
