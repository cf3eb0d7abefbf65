using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Auth;

/// <summary>
/// POST serviceaccounts/{name}/token (kubectl create token): an authentication.k8s.io/v1
/// TokenRequest in, the same object with status.token and status.expirationTimestamp out, checked
/// and defaulted as the API server's TokenREST does (audiences default to the API server's,
/// expirationSeconds to 3600 and at least 600; a bound Pod must run as that service account).
/// </summary>
public sealed class TokenRequests
{
    public const string Group = "authentication.k8s.io";
    public const string Kind = "TokenRequest";
    public const long DefaultExpirationSeconds = 3600;
    public const long MinExpirationSeconds = 600;
    public const long MaxExpirationSeconds = 1L << 32;

    private readonly ServiceAccountTokens _tokens;
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;

    public TokenRequests(ServiceAccountTokens tokens, ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _tokens = tokens;
        _store = store;
        _registry = registry;
        _time = time;
    }

    /// <summary>Issues a token for service account <paramref name="ns"/>/<paramref name="name"/>; the answer to send with 201.</summary>
    public JsonObject Create(string ns, string name, JsonObject request)
    {
        CheckKind(request);
        var meta = request.Metadata();
        if (meta.Str("name") is { Length: > 0 } bodyName && bodyName != name)
        {
            throw Invalid(name, "metadata.name", Quote(bodyName), "must match the service account name if specified");
        }

        if (meta.Str("namespace") is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw Invalid(name, "metadata.namespace", Quote(bodyNs), "must match the service account namespace if specified");
        }

        var saType = Type("serviceaccounts");
        var sa = (_store.Get(saType, ns, name) ?? throw ApiException.NotFound(saType, name)).Parse();
        var spec = request.Obj("spec") ?? new JsonObject();
        var audiences = spec["audiences"] is JsonArray { Count: > 0 } given
            ? given.Select(a => a?.GetValue<string>() ?? "").ToList()
            : [.. AccessReviews.ApiAudiences];
        var seconds = spec.Long("expirationSeconds") ?? DefaultExpirationSeconds;
        if (seconds < MinExpirationSeconds)
        {
            throw Invalid("", "spec.expirationSeconds", Str(seconds), "may not specify a duration less than 10 minutes");
        }

        if (seconds > MaxExpirationSeconds)
        {
            throw Invalid("", "spec.expirationSeconds", Str(seconds), "may not specify a duration larger than 2^32 seconds");
        }

        var bound = spec.Obj("boundObjectRef") is { } reference ? Bind(ns, name, reference) : null;
        var now = _time.GetUtcNow();
        var token = _tokens.Issue(sa, audiences, now, TimeSpan.FromSeconds(seconds), bound);
        var outSpec = new JsonObject
        {
            ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode?)a)]),
            ["expirationSeconds"] = seconds,
            ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
        };
        return new JsonObject
        {
            ["kind"] = Kind,
            ["apiVersion"] = $"{Group}/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["creationTimestamp"] = Kubelet.SimFormat.Time(now),
            },
            ["spec"] = outSpec,
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = Kubelet.SimFormat.Time(now.AddSeconds(seconds)),
            },
        };
    }

    /// <summary>The object a token is bound to, which must exist (and match a given uid); a Pod must run as the service account.</summary>
    private ServiceAccountTokens.BoundObject Bind(string ns, string saName, JsonObject reference)
    {
        var kind = reference.Str("kind") ?? "";
        var apiVersion = reference.Str("apiVersion") ?? "";
        var refName = reference.Str("name") ?? "";
        if (apiVersion != "v1" || kind is not ("Pod" or "Secret" or "Node"))
        {
            var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
            throw ApiException.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={kind}");
        }

        var type = Type(kind switch { "Pod" => "pods", "Secret" => "secrets", _ => "nodes" });
        var stored = _store.Get(type, kind == "Node" ? "" : ns, refName) ?? throw ApiException.NotFound(type, refName);
        var obj = stored.Parse();
        string? nodeName = null, nodeUid = null;
        if (kind == "Pod")
        {
            if ((obj.Str("spec", "serviceAccountName") ?? "default") != saName)
            {
                throw ApiException.BadRequest($"cannot bind token for serviceaccount \"{saName}\" to pod running with different serviceaccount name.");
            }

            nodeName = obj.Str("spec", "nodeName");
            nodeUid = nodeName is { Length: > 0 } ? _store.Get(Type("nodes"), "", nodeName)?.Uid : null;
        }

        if (reference.Str("uid") is { Length: > 0 } uid && uid != stored.Uid)
        {
            throw new ApiException(
                409,
                "Conflict",
                $"Operation cannot be fulfilled on {kind} \"{refName}\": the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated",
                new JsonObject { ["name"] = refName, ["group"] = "", ["kind"] = kind });
        }

        return new ServiceAccountTokens.BoundObject(kind, refName, stored.Uid, nodeName, nodeUid);
    }

    private static void CheckKind(JsonObject request)
    {
        var apiVersion = request.Str("apiVersion");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != $"{Group}/v1")
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({Group}/v1)");
        }

        if (request.Str("kind") is { Length: > 0 } kind && kind != Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({Kind})");
        }
    }

    /// <summary>apierrors.NewInvalid for TokenRequest.authentication.k8s.io, one cause.</summary>
    private static ApiException Invalid(string name, string field, string value, string detail)
    {
        var message = $"Invalid value: {value}: {detail}";
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = Group,
            ["kind"] = Kind,
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = field }),
        };
        return new ApiException(422, "Invalid", $"{Kind}.{Group} \"{name}\" is invalid: {field}: {message}", details);
    }

    private ResourceType Type(string plural) => _registry.Find("", "v1", plural)!;

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s, KubeJson.Options);

    private static string Str(long n) => n.ToString(CultureInfo.InvariantCulture);
}
