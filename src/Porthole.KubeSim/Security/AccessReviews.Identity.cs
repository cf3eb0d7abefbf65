using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

public sealed partial class AccessReviews
{
    /// <summary>The audiences the simulated API server accepts tokens for, as kubeadm's default --api-audiences.</summary>
    public static readonly IReadOnlyList<string> ApiAudiences = ["https://kubernetes.default.svc.cluster.local"];

    /// <summary>POST selfsubjectrulesreviews: what may the caller do in spec.namespace? (kubectl auth can-i --list).</summary>
    public JsonObject SelfSubjectRulesReview(UserInfo user, JsonObject body)
    {
        var spec = Spec(body);
        var rules = _authz.RulesFor(user, spec.Str("namespace") ?? "");
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rules.Rules.Select(g => g.Rule))
        {
            if (rule.Resources.Count > 0)
            {
                var r = new JsonObject { ["verbs"] = PolicyRule.Array(rule.Verbs) };
                AddList(r, "apiGroups", rule.ApiGroups);
                AddList(r, "resources", rule.Resources);
                AddList(r, "resourceNames", rule.ResourceNames);
                resourceRules.Add(r);
            }

            if (rule.NonResourceUrls.Count > 0)
            {
                nonResourceRules.Add(new JsonObject
                {
                    ["verbs"] = PolicyRule.Array(rule.Verbs),
                    ["nonResourceURLs"] = PolicyRule.Array(rule.NonResourceUrls),
                });
            }
        }

        var status = new JsonObject
        {
            ["resourceRules"] = resourceRules,
            ["nonResourceRules"] = nonResourceRules,
            ["incomplete"] = false,
        };
        if (rules.Errors.Count > 0)
        {
            status["evaluationError"] = rules.Errors.Count == 1 ? rules.Errors[0] : $"[{string.Join(", ", rules.Errors)}]";
        }

        return Response(body, "SelfSubjectRulesReview", AuthorizationGroup, spec, status);
    }

    /// <summary>POST selfsubjectreviews: who is the caller? (kubectl auth whoami).</summary>
    public JsonObject SelfSubjectReview(UserInfo user, JsonObject? body = null)
    {
        var response = new JsonObject
        {
            ["kind"] = "SelfSubjectReview",
            ["apiVersion"] = body?.Str("apiVersion") ?? $"{AuthenticationGroup}/v1",
            ["metadata"] = new JsonObject
            {
                ["creationTimestamp"] = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
            ["status"] = new JsonObject { ["userInfo"] = UserJson(user) },
        };
        return response;
    }

    /// <summary>
    /// POST tokenreviews: who does spec.token belong to? <paramref name="authenticate"/> is the
    /// server's bearer-token authenticator, given the token and the audiences asked for
    /// (spec.audiences, else <see cref="ApiAudiences"/>); it answers the user and the audiences the
    /// token is good for, or null. A token not authenticated gets status.user {} and status.error
    /// "invalid bearer token".
    /// </summary>
    public JsonObject TokenReview(JsonObject body, Func<string, IReadOnlyList<string>, Auth.AuthenticatedToken?> authenticate)
    {
        var spec = Spec(body);
        var token = spec.Str("token") ?? "";
        if (token.Length == 0)
        {
            throw ApiException.BadRequest("token is required for TokenReview in authentication");
        }

        var requested = Strings(spec["audiences"]);
        var authenticated = authenticate(token, requested.Count == 0 ? ApiAudiences : requested);
        var status = new JsonObject();
        if (authenticated is null)
        {
            // The bearer-token authenticator turns "no authenticator knew it" into this error.
            status["user"] = new JsonObject();
            status["error"] = "invalid bearer token";
        }
        else
        {
            status["authenticated"] = true;
            status["user"] = UserJson(authenticated.User);
            status["audiences"] = PolicyRule.Array(authenticated.Audiences);
        }

        return Response(body, "TokenReview", AuthenticationGroup, spec, status);
    }

    /// <summary>A user.Info as authentication.k8s.io UserInfo JSON, empty fields left out.</summary>
    public static JsonObject UserJson(UserInfo user)
    {
        var o = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            o["uid"] = user.Uid;
        }

        AddList(o, "groups", user.Groups);
        if (user.Extra.Count > 0)
        {
            var extra = new JsonObject();
            foreach (var (key, values) in user.Extra.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                extra[key] = PolicyRule.Array(values);
            }

            o["extra"] = extra;
        }

        return o;
    }

    private static JsonObject Spec(JsonObject body) => body["spec"] as JsonObject ?? [];

    /// <summary>The posted object echoed back: kind, apiVersion, metadata with creationTimestamp null, spec and the new status.</summary>
    private static JsonObject Response(JsonObject body, string kind, string group, JsonObject spec, JsonObject status)
    {
        var metadata = body["metadata"] is JsonObject m ? m.DeepClone().AsObject() : [];
        metadata.Remove("creationTimestamp");
        metadata["creationTimestamp"] = null;
        return new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = body.Str("apiVersion") ?? $"{group}/v1",
            ["metadata"] = metadata,
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        };
    }

    private static void AddList(JsonObject o, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            o[key] = PolicyRule.Array(values);
        }
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray arr ? [.. arr.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "").Where(s => s.Length > 0)] : [];
}
