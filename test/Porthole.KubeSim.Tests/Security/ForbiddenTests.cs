using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.Security;

public sealed class ForbiddenTests
{
    private static readonly UserInfo Viewer = SimUsers.User(SimUsers.Viewer);

    [Fact]
    public void Forbidden_NamedObjectInNamespace_MatchesApiServer()
    {
        var e = RbacAuthorizer.Forbidden(AuthorizationAttributes.ForResource(Viewer, "delete", "", "pods", "default", "web-1"));
        Assert.Equal(403, e.Code);
        Assert.Equal("Forbidden", e.Reason);
        Assert.Equal("pods \"web-1\" is forbidden: User \"sim-viewer\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"", e.Message);
        Assert.Equal("""{"name":"web-1","kind":"pods"}""", e.Details!.ToJsonString());
        var status = e.ToStatus();
        Assert.Equal(403, (int)status["code"]!);
    }

    [Fact]
    public void Forbidden_ClusterScopeList_SaysAtTheClusterScope()
    {
        var e = RbacAuthorizer.Forbidden(AuthorizationAttributes.ForResource(new UserInfo("x", []), "list", "", "pods"));
        Assert.Equal("pods is forbidden: User \"x\" cannot list resource \"pods\" in API group \"\" at the cluster scope", e.Message);
        Assert.Equal("""{"kind":"pods"}""", e.Details!.ToJsonString());
    }

    [Fact]
    public void Forbidden_Subresource_NamesCombinedResource()
    {
        var e = RbacAuthorizer.Forbidden(AuthorizationAttributes.ForResource(Viewer, "create", "", "pods", "default", "web-1", "exec"));
        Assert.Equal("pods \"web-1\" is forbidden: User \"sim-viewer\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"default\"", e.Message);
    }

    [Fact]
    public void Forbidden_GroupedResource_QualifiesWithGroup()
    {
        var e = RbacAuthorizer.Forbidden(AuthorizationAttributes.ForResource(Viewer, "create", "apps", "deployments", "team-a"));
        Assert.Equal("deployments.apps is forbidden: User \"sim-viewer\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"team-a\"", e.Message);
        Assert.Equal("""{"group":"apps","kind":"deployments"}""", e.Details!.ToJsonString());
    }

    [Fact]
    public void Forbidden_NonResourcePath_HasEmptyDetails()
    {
        var e = RbacAuthorizer.Forbidden(AuthorizationAttributes.ForPath(new UserInfo("x", []), "get", "/foo"));
        Assert.Equal("forbidden: User \"x\" cannot get path \"/foo\"", e.Message);
        Assert.Equal("{}", e.Details!.ToJsonString());
    }

    [Fact]
    public void Require_DeniedRequest_ThrowsForbidden()
    {
        var f = new RbacFixture();
        var e = Assert.Throws<ApiException>(() =>
            f.Authz.Require(AuthorizationAttributes.ForResource(Viewer, "get", "", "secrets", "default", "db")));
        Assert.Equal("secrets \"db\" is forbidden: User \"sim-viewer\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"", e.Message);
    }
}
