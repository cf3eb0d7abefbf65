using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.Security;

public sealed class RbacAuthorizerTests
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    private static readonly UserInfo Viewer = SimUsers.User(SimUsers.Viewer);
    private static readonly UserInfo Dev = SimUsers.User(SimUsers.Dev);
    private static readonly UserInfo Porthole = SimUsers.User(SimUsers.Porthole);
    private static readonly UserInfo Admin = SimUsers.User(SimUsers.Admin);

    [Fact]
    public void Authorize_ViewerListsPodsAnywhere_AllowedByClusterRoleBinding()
    {
        var f = new RbacFixture();
        var decision = f.Authz.Authorize(AuthorizationAttributes.ForResource(Viewer, "list", "", "pods", "kube-system"));
        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"sim-viewer-view\" of ClusterRole \"view\" to User \"sim-viewer\"", decision.Reason);
        Assert.True(f.Can(Viewer, "list", "", "pods"));
        Assert.True(f.Can(Viewer, "watch", "apps", "deployments", "team-a"));
        Assert.True(f.Can(Viewer, "get", "", "pods", "default", "web-1", "log"));
        Assert.True(f.Can(Viewer, "list", "metrics.k8s.io", "pods", "default"));
        Assert.True(f.Can(Dev, "list", "metrics.k8s.io", "pods", "team-a"));
    }

    [Fact]
    public void Authorize_ViewerWritesOrReadsSecrets_Denied()
    {
        var f = new RbacFixture();
        Assert.False(f.Can(Viewer, "delete", "", "pods", "default", "web-1"));
        Assert.False(f.Can(Viewer, "get", "", "secrets", "default", "token"));
        Assert.False(f.Can(Viewer, "list", "", "secrets"));
        Assert.False(f.Can(Viewer, "create", "", "pods", "default", "web-1", "exec"));
        Assert.Equal("", f.Authz.Authorize(AuthorizationAttributes.ForResource(Viewer, "list", "", "secrets")).Reason);
    }

    [Fact]
    public void Authorize_DevExecInTeamA_AllowedOnlyThere()
    {
        var f = new RbacFixture();
        var decision = f.Authz.Authorize(AuthorizationAttributes.ForResource(Dev, "create", "", "pods", "team-a", "web-1", "exec"));
        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"sim-dev-edit/team-a\" of ClusterRole \"edit\" to User \"sim-dev\"", decision.Reason);
        Assert.True(f.Can(Dev, "patch", "apps", "deployments", "team-a", "web", "scale"));
        Assert.True(f.Can(Dev, "create", "", "pods", "team-a", "web-1", "eviction"));
        Assert.True(f.Can(Dev, "get", "", "secrets", "team-a"));
        Assert.False(f.Can(Dev, "create", "", "pods", "default", "web-1", "exec"));
        Assert.False(f.Can(Dev, "list", "", "pods", "default"));
        Assert.False(f.Can(Dev, "list", "", "pods"));
        Assert.False(f.Can(Dev, "create", RbacGroup, "rolebindings", "team-a"));
    }

    [Fact]
    public void Authorize_PortholeServer_ReadsAndImpersonatesButCannotWriteOrReadSecrets()
    {
        var f = new RbacFixture();
        Assert.True(f.Can(Porthole, "impersonate", "", "users", name: "bob"));
        Assert.True(f.Can(Porthole, "impersonate", "", "groups", name: "devs"));
        Assert.True(f.Can(Porthole, "impersonate", "", "serviceaccounts", "default", "builder"));
        Assert.True(f.Can(Porthole, "create", "authorization.k8s.io", "subjectaccessreviews"));
        Assert.True(f.Can(Porthole, "watch", "apps", "deployments"));
        Assert.True(f.CanPath(Porthole, "get", "/apis/apps/v1"));
        Assert.False(f.CanPath(Porthole, "get", "/metrics"));
        Assert.False(f.Can(Porthole, "get", "", "secrets", "default", "token"));
        Assert.False(f.Can(Porthole, "create", "", "pods", "default", "web-1", "exec"));
        Assert.False(f.Can(Porthole, "update", "", "pods", "default", "web-1"));
    }

    [Fact]
    public void Authorize_SystemMasters_AlwaysAllowed()
    {
        var f = new RbacFixture();
        Assert.True(f.Can(Admin, "deletecollection", "", "secrets", "kube-system"));
        Assert.True(f.CanPath(Admin, "post", "/anything"));
        Assert.True(f.Can(new UserInfo("x", [RbacAuthorizer.MastersGroup]), "escalate", RbacGroup, "clusterroles"));
    }

    [Fact]
    public void Authorize_RoleBindingToClusterRoleWithResourceNames_OnlyNamedObjectsInThatNamespace()
    {
        var f = new RbacFixture();
        f.Add(RbacGroup, "clusterroles", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"app-config-reader"},
             "rules":[{"apiGroups":[""],"resources":["configmaps"],"resourceNames":["app-config"],"verbs":["get","update"]}]}
            """);
        f.Add(RbacGroup, "rolebindings", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"bob-config","namespace":"shop"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"app-config-reader"},
             "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"bob"}]}
            """);
        var bob = RbacFixture.User("bob");
        Assert.True(f.Can(bob, "get", "", "configmaps", "shop", "app-config"));
        Assert.True(f.Can(bob, "update", "", "configmaps", "shop", "app-config"));
        Assert.False(f.Can(bob, "get", "", "configmaps", "shop", "other"));
        Assert.False(f.Can(bob, "list", "", "configmaps", "shop"));
        Assert.False(f.Can(bob, "get", "", "configmaps", "default", "app-config"));
    }

    [Fact]
    public void Authorize_RoleAndServiceAccountSubject_DefaultsSubjectNamespaceToBinding()
    {
        var f = new RbacFixture();
        f.Add(RbacGroup, "roles", """
            {"kind":"Role","metadata":{"name":"scaler","namespace":"team-a"},
             "rules":[{"apiGroups":["*"],"resources":["*/scale"],"verbs":["update"]}]}
            """);
        f.Add(RbacGroup, "rolebindings", """
            {"kind":"RoleBinding","metadata":{"name":"ci-scaler","namespace":"team-a"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"scaler"},
             "subjects":[{"kind":"ServiceAccount","name":"ci"}]}
            """);
        var ci = new UserInfo("system:serviceaccount:team-a:ci", ServiceAccounts.Groups("team-a"));
        var decision = f.Authz.Authorize(AuthorizationAttributes.ForResource(ci, "update", "apps", "deployments", "team-a", "web", "scale"));
        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"ci-scaler/team-a\" of Role \"scaler\" to ServiceAccount \"ci/team-a\"", decision.Reason);
        Assert.True(f.Can(ci, "update", "", "replicationcontrollers", "team-a", "rc", "scale"));
        Assert.False(f.Can(ci, "update", "apps", "deployments", "team-a", "web"));
        Assert.False(f.Can(ci, "update", "apps", "deployments", "team-a", "web", "status"));
        Assert.False(f.Can(new UserInfo("system:serviceaccount:default:ci", []), "update", "apps", "deployments", "team-a", "web", "scale"));
    }

    [Fact]
    public void Authorize_NewAggregatedRole_ReachesViewEditAndAdmin()
    {
        var f = new RbacFixture();
        var carol = RbacFixture.User("carol");
        f.Add(RbacGroup, "rolebindings", """
            {"kind":"RoleBinding","metadata":{"name":"carol-admin","namespace":"shop"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"},
             "subjects":[{"kind":"User","name":"carol"}]}
            """);
        Assert.True(f.Can(carol, "create", RbacGroup, "roles", "shop"));
        Assert.True(f.Can(carol, "create", "", "pods", "shop", "p", "exec"));
        Assert.False(f.Can(Viewer, "list", "example.com", "widgets", "shop"));

        f.Add(RbacGroup, "clusterroles", """
            {"kind":"ClusterRole","metadata":{"name":"widgets-view","labels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}},
             "rules":[{"apiGroups":["example.com"],"resources":["widgets"],"verbs":["get","list","watch"]}]}
            """);
        Assert.True(f.Can(Viewer, "list", "example.com", "widgets", "shop"));
        Assert.True(f.Can(carol, "watch", "example.com", "widgets", "shop"));
        Assert.False(f.Can(carol, "watch", "example.com", "widgets", "other"));
    }

    [Fact]
    public void Authorize_NonResourceUrls_ExactAndPrefixRules()
    {
        var f = new RbacFixture();
        var anonymous = new UserInfo(SimUsers.Anonymous, [SimUsers.Unauthenticated]);
        Assert.True(f.CanPath(Viewer, "get", "/healthz"));
        Assert.True(f.CanPath(Viewer, "get", "/apis/apps/v1"));
        Assert.True(f.CanPath(Viewer, "get", "/openapi/v3"));
        Assert.False(f.CanPath(Viewer, "get", "/metrics"));
        Assert.False(f.CanPath(Viewer, "post", "/healthz"));
        Assert.True(f.CanPath(anonymous, "get", "/version"));
        Assert.True(f.CanPath(anonymous, "get", "/readyz"));
        Assert.False(f.CanPath(anonymous, "get", "/api"));
        Assert.False(f.CanPath(anonymous, "get", "/healthz/etcd"));
    }

    [Fact]
    public void Authorize_BindingToMissingRole_ReasonNamesTheRole()
    {
        var f = new RbacFixture();
        f.Add(RbacGroup, "clusterrolebindings", """
            {"kind":"ClusterRoleBinding","metadata":{"name":"dangling"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"nope"},
             "subjects":[{"kind":"User","name":"dave"}]}
            """);
        var a = AuthorizationAttributes.ForResource(RbacFixture.User("dave"), "get", "", "pods", "default", "p");
        var decision = f.Authz.Authorize(a);
        Assert.False(decision.Allowed);
        Assert.Equal("RBAC: clusterrole.rbac.authorization.k8s.io \"nope\" not found", decision.Reason);
        var e = Assert.Throws<ApiException>(() => f.Authz.Require(a));
        Assert.Equal(
            "pods \"p\" is forbidden: User \"dave\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\": RBAC: clusterrole.rbac.authorization.k8s.io \"nope\" not found",
            e.Message);
    }

    [Fact]
    public void Authorize_RbacChangesAfterCaching_TakeEffect()
    {
        var f = new RbacFixture();
        Assert.True(f.Can(Viewer, "list", "", "pods"));
        f.Store.Remove(f.Type(RbacGroup, "clusterrolebindings"), "", "sim-viewer-view");
        Assert.False(f.Can(Viewer, "list", "", "pods"));
    }

    [Fact]
    public void RulesFor_PodsWrittenBetweenChecks_KeepsCachedPolicyUntilRbacChanges()
    {
        var f = new RbacFixture();
        var pods = f.Type("", "pods");
        var before = f.Authz.RulesFor(Dev, "team-a");

        for (var i = 0; i < 1_000; i++)
        {
            f.Store.Create(pods, new JsonObject { ["metadata"] = new JsonObject { ["namespace"] = "team-a", ["name"] = $"p{i}" } });
        }

        Assert.Same(before, f.Authz.RulesFor(Dev, "team-a"));
        var list = AuthorizationAttributes.ForResource(Dev, "list", "", "pods", "team-a");
        Assert.True(f.Authz.Authorize(list).Allowed);
        Assert.False(f.Authz.Authorize(list with { Namespace = "default" }).Allowed);

        f.Add(RbacGroup, "rolebindings", """
            {"metadata":{"namespace":"default","name":"dev-view"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"User","name":"sim-dev"}]}
            """);

        Assert.NotSame(before, f.Authz.RulesFor(Dev, "team-a"));
        Assert.True(f.Authz.Authorize(list with { Namespace = "default" }).Allowed);
    }
}
