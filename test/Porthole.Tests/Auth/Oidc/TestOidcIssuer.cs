using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Porthole.Tests.Auth.Oidc;

/// <summary>
/// A small OpenID provider on loopback Kestrel for the tests: discovery, JWKS, an authorize
/// endpoint that signs in <see cref="User"/> at once (like an IdP with a live session) and a
/// token endpoint that checks the client secret, redirect URI and PKCE verifier, then returns an
/// RS256 ID token. <see cref="RotateKey"/> replaces the signing key (the old one leaves the JWKS).
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    public const string ClientId = "porthole";
    public const string ClientSecret = "porthole-client-secret";

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (string Nonce, string Challenge, string RedirectUri)> _codes = new();
    private RsaSecurityKey _key;

    private TestOidcIssuer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
        _key = NewKey();
    }

    public Uri Issuer { get; private set; } = null!;

    /// <summary>Who the authorize endpoint signs in.</summary>
    public string User { get; set; } = "alice@example.com";

    public string[] Groups { get; set; } = ["team-a", "porthole-admins"];

    /// <summary>When set, the ID token carries this nonce instead of the one asked for.</summary>
    public string? NonceOverride { get; set; }

    public int JwksRequests;

    public int TokenRequests;

    public RsaSecurityKey Key => _key;

    public static async Task<TestOidcIssuer> StartAsync(TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var issuer = new TestOidcIssuer(app, time);
        app.MapGet("/.well-known/openid-configuration", issuer.Discovery);
        app.MapGet("/jwks", issuer.Jwks);
        app.MapGet("/authorize", issuer.Authorize);
        app.MapPost("/token", issuer.TokenAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        issuer.Issuer = new Uri(address);
        return issuer;
    }

    public void RotateKey() => _key = NewKey();

    /// <summary>An ID token for <paramref name="user"/> signed with <paramref name="key"/> (default: the current key).</summary>
    public string Sign(string user, string[] groups, string? nonce = null, TimeSpan? lifetime = null, RsaSecurityKey? key = null, string? audience = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", user), new("email", user) };
        claims.AddRange(groups.Select(g => new Claim("groups", g)));
        if (nonce is not null)
        {
            claims.Add(new Claim("nonce", nonce));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer.AbsoluteUri.TrimEnd('/'),
            Audience = audience ?? ClientId,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(5)),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Issuer.AbsoluteUri.TrimEnd('/'),
        ["authorization_endpoint"] = new Uri(Issuer, "/authorize").AbsoluteUri,
        ["token_endpoint"] = new Uri(Issuer, "/token").AbsoluteUri,
        ["jwks_uri"] = new Uri(Issuer, "/jwks").AbsoluteUri,
        ["response_types_supported"] = new[] { "code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
    });

    private IResult Jwks()
    {
        Interlocked.Increment(ref JwksRequests);
        var p = _key.Rsa.ExportParameters(false);
        return Results.Json(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId, n = Base64Url.EncodeToString(p.Modulus), e = Base64Url.EncodeToString(p.Exponent) },
            },
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256"
            || string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["state"]) || string.IsNullOrEmpty(q["nonce"])
            || !q["scope"].ToString().Split(' ').Contains("openid"))
        {
            return Results.BadRequest("bad authorization request");
        }

        var code = Guid.NewGuid().ToString("N");
        _codes[code] = (q["nonce"]!, q["code_challenge"]!, q["redirect_uri"]!);
        return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"]!)}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref TokenRequests);
        var form = await request.ReadFormAsync();
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (request.Headers.Authorization != basic)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant)
            || form["redirect_uri"] != grant.RedirectUri
            || Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        return Results.Json(new { id_token = Sign(User, Groups, NonceOverride ?? grant.Nonce), access_token = "opaque", token_type = "Bearer", expires_in = 300 });
    }

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..12] };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
