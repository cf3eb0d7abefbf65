using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Auth;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.Security;

public sealed class AccessReviewsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);

    private readonly RbacFixture _f = new();
    private readonly AccessReviews _reviews;

    public AccessReviewsTests()
    {
        _reviews = new AccessReviews(_f.Authz, new FixedTime(Now));
    }

    [Fact]
    public void SelfSubjectAccessReview_Allowed_EchoesSpecAndGivesReason()
    {
        var body = Parse("""
            {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},
             "spec":{"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods"}}}
            """);
        var r = _reviews.SelfSubjectAccessReview(SimUsers.User(SimUsers.Viewer), body);
        Assert.Equal(
            """{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods"}},"status":{"allowed":true,"reason":"RBAC: allowed by ClusterRoleBinding \u0022sim-viewer-view\u0022 of ClusterRole \u0022view\u0022 to User \u0022sim-viewer\u0022"}}""",
            r.ToJsonString());
    }

    [Fact]
    public void SelfSubjectAccessReview_Denied_AllowedFalseWithoutReason()
    {
        var body = Parse("""{"spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"secrets"}}}""");
        var status = _reviews.SelfSubjectAccessReview(SimUsers.User(SimUsers.Viewer), body)["status"]!.AsObject();
        Assert.Equal("""{"allowed":false}""", status.ToJsonString());
    }

    [Fact]
    public void SelfSubjectAccessReview_NoAttributes_Invalid()
    {
        var e = Assert.Throws<ApiException>(() => _reviews.SelfSubjectAccessReview(SimUsers.User(SimUsers.Viewer), Parse("""{"spec":{}}""")));
        Assert.Equal(422, e.Code);
        Assert.Equal("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified", e.Message);
    }

    [Fact]
    public void SubjectAccessReview_ForSpecUser_UsesUserAndGroups()
    {
        var body = Parse("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
             "spec":{"user":"sim-dev","groups":["system:authenticated"],
                     "resourceAttributes":{"namespace":"team-a","verb":"create","resource":"pods","subresource":"exec","name":"web-1"}}}
            """);
        var r = _reviews.SubjectAccessReview(body);
        Assert.True(r.Bool("status", "allowed"));
        Assert.Equal("RBAC: allowed by RoleBinding \"sim-dev-edit/team-a\" of ClusterRole \"edit\" to User \"sim-dev\"", r.Str("status", "reason"));
        Assert.Equal("sim-dev", r.Str("spec", "user"));

        var masters = Parse("""{"spec":{"groups":["system:masters"],"nonResourceAttributes":{"path":"/metrics","verb":"get"}}}""");
        Assert.Equal("""{"allowed":true}""", _reviews.SubjectAccessReview(masters)["status"]!.ToJsonString());
        var anonymous = Parse("""{"spec":{"user":"system:anonymous","groups":["system:unauthenticated"],"nonResourceAttributes":{"path":"/healthz","verb":"get"}}}""");
        Assert.True(_reviews.SubjectAccessReview(anonymous).Bool("status", "allowed"));
    }

    [Fact]
    public void SubjectAccessReview_NoUserOrGroup_Invalid()
    {
        var e = Assert.Throws<ApiException>(() => _reviews.SubjectAccessReview(Parse("""{"spec":{"resourceAttributes":{"verb":"get","resource":"pods"}}}""")));
        Assert.Equal(422, e.Code);
        Assert.Equal("SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.user: Invalid value: \"\": at least one of user or group must be specified", e.Message);
        Assert.Equal("SubjectAccessReview", e.Details!.Str("kind"));
    }

    [Fact]
    public void LocalSubjectAccessReview_MatchingNamespace_DecidesInIt()
    {
        var body = Parse("""{"spec":{"user":"sim-dev","resourceAttributes":{"namespace":"team-a","verb":"delete","resource":"pods"}}}""");
        var r = _reviews.LocalSubjectAccessReview("team-a", body);
        Assert.True(r.Bool("status", "allowed"));
        Assert.Equal("team-a", r.Namespace());
        Assert.Equal("LocalSubjectAccessReview", r.Str("kind"));
    }

    [Fact]
    public void LocalSubjectAccessReview_NamespaceMismatch_Rejected()
    {
        var spec = Parse("""{"spec":{"user":"sim-dev","resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}}}""");
        var e = Assert.Throws<ApiException>(() => _reviews.LocalSubjectAccessReview("team-a", spec));
        Assert.Equal(422, e.Code);
        Assert.Equal("LocalSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: \"default\": must match metadata.namespace", e.Message);

        var meta = Parse("""{"metadata":{"namespace":"default"},"spec":{"user":"sim-dev","resourceAttributes":{"namespace":"team-a","verb":"get","resource":"pods"}}}""");
        e = Assert.Throws<ApiException>(() => _reviews.LocalSubjectAccessReview("team-a", meta));
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
    }

    [Fact]
    public void SelfSubjectRulesReview_DevInTeamA_ListsRulesLikeCanIList()
    {
        var r = _reviews.SelfSubjectRulesReview(SimUsers.User(SimUsers.Dev), Parse("""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"team-a"}}"""));
        Assert.Equal("team-a", r.Str("spec", "namespace"));
        Assert.False(r.Bool("status", "incomplete"));
        var resourceRules = r.Arr("status", "resourceRules")!.Select(n => n!.AsObject()).ToList();
        Assert.Contains(resourceRules, rule => Has(rule, "resources", "pods/exec") && Has(rule, "verbs", "create"));
        Assert.Contains(resourceRules, rule => Has(rule, "resources", "selfsubjectaccessreviews") && Has(rule, "apiGroups", "authorization.k8s.io"));
        Assert.All(resourceRules, rule => Assert.Null(rule["nonResourceURLs"]));
        var nonResource = r.Arr("status", "nonResourceRules")!.Select(n => n!.AsObject()).ToList();
        Assert.Contains(nonResource, rule => Has(rule, "nonResourceURLs", "/healthz") && Has(rule, "verbs", "get"));

        var elsewhere = _reviews.SelfSubjectRulesReview(SimUsers.User(SimUsers.Dev), Parse("""{"spec":{"namespace":"default"}}"""));
        Assert.DoesNotContain(elsewhere.Arr("status", "resourceRules")!, rule => Has(rule!.AsObject(), "resources", "pods/exec"));
    }

    [Fact]
    public void SelfSubjectRulesReview_Admin_GetsClusterAdminWildcards()
    {
        var r = _reviews.SelfSubjectRulesReview(SimUsers.User(SimUsers.Admin), Parse("""{"spec":{"namespace":"default"}}"""));
        Assert.Contains(r.Arr("status", "resourceRules")!, rule => rule!.ToJsonString() == """{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}""");
        Assert.Contains(r.Arr("status", "nonResourceRules")!, rule => rule!.ToJsonString() == """{"verbs":["*"],"nonResourceURLs":["*"]}""");
    }

    [Fact]
    public void SelfSubjectReview_ReturnsCallerAsWhoamiShows()
    {
        var user = new UserInfo("sim-dev", "uid-7", [SimUsers.Authenticated], new Dictionary<string, IReadOnlyList<string>> { ["team"] = ["a"] });
        var r = _reviews.SelfSubjectReview(user, Parse("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""));
        Assert.Equal(
            """{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":"2026-11-23T20:00:00Z"},"status":{"userInfo":{"username":"sim-dev","uid":"uid-7","groups":["system:authenticated"],"extra":{"team":["a"]}}}}""",
            r.ToJsonString());
    }

    [Fact]
    public void TokenReview_KnownToken_AuthenticatedWithUserAndAudiences()
    {
        var body = Parse("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"tok-dev"}}""");
        var r = _reviews.TokenReview(body, Lookup);
        Assert.Equal(
            """{"authenticated":true,"user":{"username":"sim-dev","groups":["system:authenticated"]},"audiences":["https://kubernetes.default.svc.cluster.local"]}""",
            r["status"]!.ToJsonString());
        Assert.Equal("tok-dev", r.Str("spec", "token"));
    }

    [Fact]
    public void TokenReview_UnknownTokenOrForeignAudience_NotAuthenticated()
    {
        var unknown = _reviews.TokenReview(Parse("""{"spec":{"token":"nope"}}"""), Lookup);
        Assert.Equal("""{"user":{},"error":"invalid bearer token"}""", unknown["status"]!.ToJsonString());

        var foreign = _reviews.TokenReview(Parse("""{"spec":{"token":"tok-dev","audiences":["vault"]}}"""), Lookup);
        Assert.Equal("""{"user":{},"error":"invalid bearer token"}""", foreign["status"]!.ToJsonString());
    }

    [Fact]
    public void TokenReview_NoToken_BadRequest()
    {
        var e = Assert.Throws<ApiException>(() => _reviews.TokenReview(Parse("""{"spec":{}}"""), Lookup));
        Assert.Equal(400, e.Code);
        Assert.Equal("token is required for TokenReview in authentication", e.Message);
    }

    private static readonly TokenAuthenticator Tokens = new([("tok-dev", SimUsers.User(SimUsers.Dev))]);

    private static AuthenticatedToken? Lookup(string token, IReadOnlyList<string> audiences) => Tokens.Authenticate(token, audiences);

    private static bool Has(JsonObject rule, string key, string value) =>
        rule.Arr(key)?.Any(v => v?.GetValue<string>() == value) == true;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
