using Microsoft.AspNetCore.Http;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Security;

namespace Porthole.KubeSim.Tests.Security;

public sealed class ImpersonationTests
{
    private static readonly UserInfo Porthole = SimUsers.User(SimUsers.Porthole);
    private static readonly UserInfo Dev = SimUsers.User(SimUsers.Dev);
    private static readonly UserInfo Admin = SimUsers.User(SimUsers.Admin);

    [Fact]
    public void Resolve_NoImpersonateHeaders_ReturnsRequester()
    {
        var f = new RbacFixture();
        var headers = new HeaderDictionary { ["Accept"] = "application/json" };
        Assert.Same(Porthole, Impersonation.Resolve(Porthole, headers, f.Authz));
        Assert.False(Impersonation.Requested(headers));
    }

    [Fact]
    public void Resolve_PortholeImpersonatesUserAndGroups_ActsAsThemWithAuthenticatedAdded()
    {
        var f = new RbacFixture();
        var headers = new HeaderDictionary
        {
            [Impersonation.UserHeader] = "sim-dev",
            [Impersonation.GroupHeader] = new(["devs", "qa"]),
        };
        Assert.True(Impersonation.Requested(headers));
        var user = Impersonation.Resolve(Porthole, headers, f.Authz);
        Assert.Equal("sim-dev", user.Name);
        Assert.Equal(["devs", "qa", SimUsers.Authenticated], user.Groups);
        Assert.Empty(user.Extra);
    }

    [Fact]
    public void Resolve_UserWithoutGroups_GetsSystemAuthenticated()
    {
        var f = new RbacFixture();
        var user = Impersonation.Resolve(Porthole, new HeaderDictionary { ["impersonate-user"] = "bob" }, f.Authz);
        Assert.Equal("bob", user.Name);
        Assert.Equal([SimUsers.Authenticated], user.Groups);
    }

    [Fact]
    public void Resolve_DevImpersonatesUser_ThrowsApiServerForbidden()
    {
        var f = new RbacFixture();
        var e = Assert.Throws<ApiException>(() =>
            Impersonation.Resolve(Dev, new HeaderDictionary { [Impersonation.UserHeader] = "bob" }, f.Authz));
        Assert.Equal(403, e.Code);
        Assert.Equal("users \"bob\" is forbidden: User \"sim-dev\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", e.Message);
    }

    [Fact]
    public void Resolve_GroupWithoutUser_FailsLikeTheRealFilter()
    {
        var f = new RbacFixture();
        var e = Assert.Throws<ApiException>(() =>
            Impersonation.Resolve(Porthole, new HeaderDictionary { [Impersonation.GroupHeader] = "devs" }, f.Authz));
        Assert.Equal(500, e.Code);
        Assert.Contains("without impersonating a user", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UidNotGranted_ForbiddenOnUidsInAuthenticationGroup()
    {
        var f = new RbacFixture();
        var headers = new HeaderDictionary { [Impersonation.UserHeader] = "bob", [Impersonation.UidHeader] = "u-1" };
        var e = Assert.Throws<ApiException>(() => Impersonation.Resolve(Porthole, headers, f.Authz));
        Assert.Equal("uids.authentication.k8s.io \"u-1\" is forbidden: User \"sim-porthole\" cannot impersonate resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope", e.Message);
    }

    [Fact]
    public void Resolve_ExtraHeaders_PercentDecodedLowerCasedKeys()
    {
        var f = new RbacFixture();
        var headers = new HeaderDictionary
        {
            [Impersonation.UserHeader] = "bob",
            [Impersonation.UidHeader] = "u-1",
            ["Impersonate-Extra-Example.com%2FScopes"] = new(["read", "write"]),
            ["Impersonate-Extra-Reason"] = "debug",
        };
        var user = Impersonation.Resolve(Admin, headers, f.Authz);
        Assert.Equal("u-1", user.Uid);
        Assert.Equal(["read", "write"], user.Extra["example.com/scopes"]);
        Assert.Equal(["debug"], user.Extra["reason"]);

        // Extras are checked before the uid, as the real filter orders its checks.
        var e = Assert.Throws<ApiException>(() => Impersonation.Resolve(Porthole, headers, f.Authz));
        Assert.Equal(
            "userextras.authentication.k8s.io \"read\" is forbidden: User \"sim-porthole\" cannot impersonate resource \"userextras/example.com/scopes\" in API group \"authentication.k8s.io\" at the cluster scope",
            e.Message);
    }

    [Fact]
    public void Resolve_ServiceAccount_CheckedInItsNamespaceWithServiceAccountGroups()
    {
        var f = new RbacFixture();
        var headers = new HeaderDictionary { [Impersonation.UserHeader] = "system:serviceaccount:team-a:builder" };
        var user = Impersonation.Resolve(Dev, headers, f.Authz);
        Assert.Equal("system:serviceaccount:team-a:builder", user.Name);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:team-a", SimUsers.Authenticated], user.Groups);

        headers[Impersonation.UserHeader] = "system:serviceaccount:default:builder";
        var e = Assert.Throws<ApiException>(() => Impersonation.Resolve(Dev, headers, f.Authz));
        Assert.Equal("serviceaccounts \"builder\" is forbidden: User \"sim-dev\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"", e.Message);
    }

    [Fact]
    public void Resolve_ImpersonatedUser_IsAuthorizedAsThatUser()
    {
        var f = new RbacFixture();
        var asViewer = Impersonation.Resolve(Porthole, new HeaderDictionary { [Impersonation.UserHeader] = SimUsers.Viewer }, f.Authz);
        Assert.True(f.Can(asViewer, "list", "", "pods"));
        Assert.False(f.Can(asViewer, "create", "", "pods", "default"));
        var asAnonymous = Impersonation.Resolve(Admin, new HeaderDictionary { [Impersonation.UserHeader] = SimUsers.Anonymous }, f.Authz);
        Assert.Equal([SimUsers.Unauthenticated], asAnonymous.Groups);
    }
}
