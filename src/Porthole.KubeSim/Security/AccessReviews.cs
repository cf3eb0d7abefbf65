using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

/// <summary>
/// The create handlers of the authorization.k8s.io and authentication.k8s.io review resources
/// (SubjectAccessReview and friends, SelfSubjectRulesReview, SelfSubjectReview, TokenReview):
/// each takes the posted object and returns it with status filled, as the API server does.
/// </summary>
public sealed partial class AccessReviews
{
    private const string AuthorizationGroup = "authorization.k8s.io";
    private const string AuthenticationGroup = "authentication.k8s.io";

    private readonly RbacAuthorizer _authz;
    private readonly TimeProvider _time;

    public AccessReviews(RbacAuthorizer authz, TimeProvider time)
    {
        _authz = authz;
        _time = time;
    }

    /// <summary>POST selfsubjectaccessreviews: may the caller do this? (kubectl auth can-i).</summary>
    public JsonObject SelfSubjectAccessReview(UserInfo user, JsonObject body)
    {
        const string kind = "SelfSubjectAccessReview";
        var spec = Spec(body);
        var errors = new List<FieldError>();
        CheckAttributes(spec, errors);
        ThrowIfInvalid(kind, errors);
        return Decide(body, kind, spec, user, "");
    }

    /// <summary>POST subjectaccessreviews: may spec.user/groups do this?</summary>
    public JsonObject SubjectAccessReview(JsonObject body)
    {
        const string kind = "SubjectAccessReview";
        var spec = Spec(body);
        var errors = new List<FieldError>();
        CheckAttributes(spec, errors);
        CheckSubject(spec, errors);
        ThrowIfInvalid(kind, errors);
        return Decide(body, kind, spec, SubjectOf(spec), "");
    }

    /// <summary>POST namespaces/{ns}/localsubjectaccessreviews: a SubjectAccessReview bound to one namespace.</summary>
    public JsonObject LocalSubjectAccessReview(string ns, JsonObject body)
    {
        const string kind = "LocalSubjectAccessReview";
        var objectNs = body.Namespace();
        if (objectNs.Length > 0 && objectNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var spec = Spec(body);
        var errors = new List<FieldError>();
        CheckSubject(spec, errors);
        if (spec.Obj("resourceAttributes") is { } resource && (resource.Str("namespace") ?? "") != ns)
        {
            errors.Add(new("spec.resourceAttributes.namespace", Quote(resource.Str("namespace") ?? ""), "must match metadata.namespace"));
        }

        if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            errors.Add(new("spec.nonResourceAttributes", nonResource.ToJsonString(), "disallowed on this kind of request"));
        }
        else if (spec["resourceAttributes"] is null)
        {
            errors.Add(new("spec.resourceAttributes", Quote("null"), "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }

        ThrowIfInvalid(kind, errors);
        var response = Decide(body, kind, spec, SubjectOf(spec), ns);
        response.Metadata()["namespace"] = ns;
        return response;
    }

    private JsonObject Decide(JsonObject body, string kind, JsonObject spec, UserInfo user, string ns)
    {
        var decision = _authz.Authorize(AttributesOf(user, spec, ns));
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return Response(body, kind, AuthorizationGroup, spec, status);
    }

    private static AuthorizationAttributes AttributesOf(UserInfo user, JsonObject spec, string ns)
    {
        if (spec.Obj("nonResourceAttributes") is { } nr)
        {
            return AuthorizationAttributes.ForPath(user, nr.Str("verb") ?? "", nr.Str("path") ?? "");
        }

        var ra = spec.Obj("resourceAttributes")!;
        return new AuthorizationAttributes(
            user,
            ra.Str("verb") ?? "",
            ra.Str("group") ?? "",
            ra.Str("resource") ?? "",
            ra.Str("subresource") ?? "",
            ns.Length > 0 ? ns : ra.Str("namespace") ?? "",
            ra.Str("name") ?? "");
    }

    private static UserInfo SubjectOf(JsonObject spec)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in spec.Obj("extra") ?? [])
        {
            extra[key] = Strings(values);
        }

        return new UserInfo(spec.Str("user") ?? "", spec.Str("uid") ?? "", Strings(spec["groups"]), extra);
    }

    private static void CheckAttributes(JsonObject spec, List<FieldError> errors)
    {
        var hasResource = spec["resourceAttributes"] is JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if (hasResource && nonResource is not null)
        {
            errors.Add(new("spec.nonResourceAttributes", nonResource.ToJsonString(), "cannot be specified in combination with resourceAttributes"));
        }
        else if (!hasResource && nonResource is null)
        {
            errors.Add(new("spec.resourceAttributes", Quote("null"), "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
    }

    private static void CheckSubject(JsonObject spec, List<FieldError> errors)
    {
        if ((spec.Str("user") ?? "").Length == 0 && Strings(spec["groups"]).Count == 0)
        {
            errors.Add(new("spec.user", Quote(""), "at least one of user or group must be specified"));
        }
    }

    /// <summary>The 422 of apierrors.NewInvalid for a review kind (the reviews have no name).</summary>
    private static void ThrowIfInvalid(string kind, List<FieldError> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: {e.Value}: {e.Detail}", ["field"] = e.Field });
        }

        var text = string.Join(", ", errors.Select(e => $"{e.Field}: Invalid value: {e.Value}: {e.Detail}"));
        var message = $"{kind}.{AuthorizationGroup} \"\" is invalid: {(errors.Count == 1 ? text : $"[{text}]")}";
        throw new ApiException(422, "Invalid", message, new JsonObject { ["group"] = AuthorizationGroup, ["kind"] = kind, ["causes"] = causes });
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private sealed record FieldError(string Field, string Value, string Detail);
}
