using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Area 2: RBAC objects written through the API take effect; impersonation and rules reviews.</summary>
public sealed class RbacApiTests : IClassFixture<SimFixture>
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    private readonly SimFixture _sim;

    public RbacApiTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static Rbacv1Subject User(string name) => new() { Kind = "User", Name = name, ApiGroup = RbacGroup };

    private async Task<bool> AllowedAsync(string user, string verb, string resource, string ns, string? name = null)
    {
        using var porthole = _sim.Client(SimUsers.Porthole);
        var review = await porthole.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = [SimUsers.Authenticated],
                ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, NamespaceProperty = ns, Name = name },
            },
        });
        return review.Status.Allowed;
    }

    [Fact]
    public async Task RoleAndBinding_CreatedThroughApi_SubjectAccessReviewAllows()
    {
        using var admin = _sim.Client();
        var ns = await E2e.NamespaceAsync(admin, "rbac-role");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "pod-reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["get", "list", "watch"] }],
        }, ns);
        Assert.False(await AllowedAsync("alice", "list", "pods", ns));

        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "alice-reads-pods" },
            RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "Role", Name = "pod-reader" },
            Subjects = [User("alice")],
        }, ns);

        Assert.True(await AllowedAsync("alice", "list", "pods", ns));
        Assert.True(await AllowedAsync("alice", "get", "pods", ns, "any"));
        Assert.False(await AllowedAsync("alice", "delete", "pods", ns, "any"));
        Assert.False(await AllowedAsync("alice", "list", "pods", "default"));
        Assert.False(await AllowedAsync("alice", "list", "secrets", ns));
    }

    [Fact]
    public async Task ClusterRole_WithResourceNames_AllowsOnlyThoseNames()
    {
        using var admin = _sim.Client();
        var ns = await E2e.NamespaceAsync(admin, "rbac-names");
        var role = $"{ns}-one-configmap";
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = role },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], ResourceNames = ["allowed"], Verbs = ["get", "update"] }],
        });
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "bob-one-configmap" },
            RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "ClusterRole", Name = role },
            Subjects = [User("bob")],
        }, ns);

        Assert.True(await AllowedAsync("bob", "get", "configmaps", ns, "allowed"));
        Assert.False(await AllowedAsync("bob", "get", "configmaps", ns, "other"));
        Assert.False(await AllowedAsync("bob", "list", "configmaps", ns));

        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "allowed" } }, ns);
        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "other" } }, ns);
        using var http = _sim.Http();
        async Task<HttpStatusCode> GetAsBobAsync(string name)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/{name}");
            request.Headers.Add(Impersonation.UserHeader, "bob");
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsBobAsync("allowed"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsBobAsync("other"));
    }

    private static HttpRequestMessage ImpersonatedWhoAmI()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews")
        {
            Content = new StringContent("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(Impersonation.UserHeader, "carol");
        request.Headers.Add(Impersonation.GroupHeader, "devs");
        request.Headers.Add(Impersonation.UidHeader, "uid-1234");
        request.Headers.Add("Impersonate-Extra-Scopes", "view");
        request.Headers.Add("Impersonate-Extra-example.com%2Fteam", "blue");
        return request;
    }

    [Fact]
    public async Task Impersonate_UidAndExtra_AsAdmin_BecomesThatIdentity()
    {
        using var http = _sim.Http();
        using var request = ImpersonatedWhoAmI();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var user = JsonNode.Parse(body)!["status"]!["userInfo"]!;
        Assert.Equal("carol", (string?)user["username"]);
        Assert.Equal("uid-1234", (string?)user["uid"]);
        Assert.Equal(["devs", SimUsers.Authenticated], E2e.Strings(user["groups"]));
        Assert.Equal(["view"], E2e.Strings(user["extra"]!["scopes"]));
        Assert.Equal(["blue"], E2e.Strings(user["extra"]!["example.com/team"]));
    }

    [Fact]
    public async Task Impersonate_UidAndExtra_AsViewer_Forbidden()
    {
        using var http = _sim.Http(SimUsers.Viewer);
        using var request = ImpersonatedWhoAmI();
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal(
            "users \"carol\" is forbidden: User \"sim-viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            (string?)status["message"]);
    }

    [Fact]
    public async Task SelfSubjectRulesReview_Dev_ListsTeamRulesButNotElsewhere()
    {
        using var dev = _sim.Client(SimUsers.Dev);
        V1SelfSubjectRulesReview Review(string ns) => new() { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = ns } };

        var team = await dev.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(Review(SimUsers.TeamNamespace));
        Assert.Contains(team.Status.ResourceRules, r => r.Resources.Contains("pods") && r.Verbs.Contains("create"));
        Assert.Contains(team.Status.ResourceRules, r => r.Resources.Contains("selfsubjectaccessreviews") && r.Verbs.Contains("create"));
        Assert.Contains(team.Status.NonResourceRules, r => r.NonResourceURLs.Contains("/api") || r.NonResourceURLs.Contains("/api/*"));
        Assert.False(team.Status.Incomplete);

        var other = await dev.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(Review("default"));
        Assert.DoesNotContain(other.Status.ResourceRules, r => r.Resources.Contains("pods"));
    }
}
