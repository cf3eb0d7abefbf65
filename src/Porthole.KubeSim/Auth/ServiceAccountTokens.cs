using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Auth;

/// <summary>
/// Bound service account tokens, as the API server's TokenRequest issues them: RS256 JWTs with
/// the issuer, audiences, iat/nbf/exp, a jti and the kubernetes.io claim naming the service
/// account and the object the token is bound to. Validation checks the signature, the time on
/// the injected <see cref="TimeProvider"/> (with go-jose's one-minute leeway), and that the
/// service account and bound object still exist with the same uid, so deleting either revokes
/// the token. The key is generated per start, like every other credential of the simulator.
/// </summary>
public sealed class ServiceAccountTokens : IDisposable
{
    /// <summary>The issuer (iss) and the default audience, as kubeadm configures --service-account-issuer.</summary>
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>Clock skew allowed on exp and nbf (go-jose's DefaultLeeway, which the API server uses).</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);

    private const string Claim = "kubernetes.io";
    private readonly RSA _key = RSA.Create(2048);
    private readonly SigningCredentials _signing;
    private readonly string _keyId;
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;

    public ServiceAccountTokens(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        _registry = registry;
        _time = time;
        // The API server's key id: the base64url SHA-256 of the public key's DER encoding.
        _keyId = Base64UrlEncoder.Encode(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
        _signing = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = _keyId }, SecurityAlgorithms.RsaSha256);
    }

    /// <summary>An object a token is bound to: a Pod, Secret or Node the token dies with.</summary>
    public sealed record BoundObject(string Kind, string Name, string Uid, string? NodeName = null, string? NodeUid = null);

    /// <summary>Signs a token for the service account <paramref name="serviceAccount"/> valid from now for <paramref name="lifetime"/>.</summary>
    public string Issue(JsonObject serviceAccount, IReadOnlyList<string> audiences, DateTimeOffset now, TimeSpan lifetime, BoundObject? bound)
    {
        var kubernetes = new JsonObject { ["namespace"] = serviceAccount.Namespace() };
        if (bound is not null)
        {
            kubernetes[bound.Kind.ToLowerInvariant()] = new JsonObject { ["name"] = bound.Name, ["uid"] = bound.Uid };
            if (bound.NodeName is { Length: > 0 } nodeName)
            {
                kubernetes["node"] = new JsonObject { ["name"] = nodeName, ["uid"] = bound.NodeUid ?? "" };
            }
        }

        kubernetes["serviceaccount"] = new JsonObject { ["name"] = serviceAccount.Name(), ["uid"] = serviceAccount.Uid() };
        var issued = now.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode?)a)]),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["iat"] = issued,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            [Claim] = kubernetes,
            ["nbf"] = issued,
            ["sub"] = ServiceAccounts.UserName(serviceAccount.Namespace(), serviceAccount.Name()),
        };
        return new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), _signing);
    }

    /// <summary>
    /// The user a token stands for and the audiences it is valid for among <paramref name="audiences"/>,
    /// or null when it is not one of ours, is expired or not yet valid, or names an object that is gone.
    /// </summary>
    public AuthenticatedToken? Authenticate(string token, IReadOnlyList<string> audiences)
    {
        if (Verify(token) is not { } claims || claims.Str("iss") != Issuer)
        {
            return null;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var leeway = (long)Leeway.TotalSeconds;
        if (claims.Long("exp") is not { } exp || now > exp + leeway || (claims.Long("nbf") is { } nbf && now < nbf - leeway))
        {
            return null;
        }

        var tokenAudiences = claims["aud"] is JsonArray aud ? aud.Select(a => a?.GetValue<string>() ?? "").ToList() : [claims.Str("aud") ?? ""];
        var valid = audiences.Intersect(tokenAudiences, StringComparer.Ordinal).ToList();
        if (valid.Count == 0 || claims.Obj(Claim) is not { } kubernetes)
        {
            return null;
        }

        var ns = kubernetes.Str("namespace") ?? "";
        var sa = Live("", "serviceaccounts", ns, kubernetes.Obj("serviceaccount"));
        if (sa is null)
        {
            return null;
        }

        // A token bound to an object dies with it; the node of a pod-bound token is informational.
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var pod = kubernetes.Obj("pod");
        if ((pod is not null && Live("", "pods", ns, pod) is null)
            || (kubernetes.Obj("secret") is { } secret && Live("", "secrets", ns, secret) is null)
            || (pod is null && kubernetes.Obj("node") is { } boundNode && Live("", "nodes", "", boundNode) is null))
        {
            return null;
        }

        foreach (var kind in new[] { "pod", "node" })
        {
            if (kubernetes.Obj(kind) is { } reference)
            {
                extra[$"authentication.kubernetes.io/{kind}-name"] = [reference.Str("name") ?? ""];
                extra[$"authentication.kubernetes.io/{kind}-uid"] = [reference.Str("uid") ?? ""];
            }
        }

        if (claims.Str("jti") is { Length: > 0 } jti)
        {
            extra["authentication.kubernetes.io/credential-id"] = [$"JTI={jti}"];
        }

        var user = new UserInfo(
            ServiceAccounts.UserName(ns, sa.Name),
            sa.Uid,
            [.. ServiceAccounts.Groups(ns), SimUsers.Authenticated],
            extra);
        return new AuthenticatedToken(user, valid);
    }

    public void Dispose() => _key.Dispose();

    /// <summary>The payload of a well-formed RS256 token signed by our key, or null.</summary>
    private JsonObject? Verify(string token)
    {
        if (token.Count(c => c == '.') != 2)
        {
            return null;
        }

        try
        {
            var jwt = new JsonWebToken(token);
            if (jwt.Alg != SecurityAlgorithms.RsaSha256 || jwt.Kid != _keyId)
            {
                return null;
            }

            var signed = Encoding.ASCII.GetBytes($"{jwt.EncodedHeader}.{jwt.EncodedPayload}");
            var signature = Base64UrlEncoder.DecodeBytes(jwt.EncodedSignature);
            if (!_key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return null;
            }

            return JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)) as JsonObject;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException or SecurityTokenException)
        {
            return null;
        }
    }

    /// <summary>
    /// The stored object a claim reference names, when it still exists with that uid. An object
    /// being deleted still counts until a leeway past its deletionTimestamp, as upstream.
    /// </summary>
    private StoredObject? Live(string group, string plural, string ns, JsonObject? reference)
    {
        if (reference is null || _registry.Find(group, "v1", plural) is not { } type)
        {
            return null;
        }

        var stored = _store.Get(type, ns, reference.Str("name") ?? "");
        if (stored is null || stored.Uid != reference.Str("uid"))
        {
            return null;
        }

        var deleted = Kubelet.SimFormat.ParseTime(stored.Parse().Str("metadata", "deletionTimestamp"));
        return deleted is { } at && at < _time.GetUtcNow() - Leeway ? null : stored;
    }
}

/// <summary>An authenticated bearer token: who it is, and for which of the requested audiences.</summary>
public sealed record AuthenticatedToken(UserInfo User, IReadOnlyList<string> Audiences);
