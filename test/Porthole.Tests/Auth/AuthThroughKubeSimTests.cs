using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Porthole.Hosting;
using static Porthole.Tests.Apis.ResourceClient;

namespace Porthole.Tests.Auth;

/// <summary>
/// Sign-in through to Kubernetes: Porthole runs as KubeSim's sim-porthole (which may impersonate)
/// and every call for a signed-in user carries that user's identity, so KubeSim's RBAC, not
/// Porthole's own rights, decides. Token mode calls with the user's own token instead.
/// </summary>
public sealed class AuthThroughKubeSimTests(KubeSimFixture kube) : IClassFixture<KubeSimFixture>, IDisposable
{
    private const string Cluster = "sim-porthole";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<PortholeTestHost> StartLocalAsync() => kube.StartPortholeAsync(new PortholeOptions
    {
        AuthMode = AuthMode.Local,
        UsersFile = LocalUsersFile.Write(_dir.Path, ("sim-viewer", "viewer-password", []), ("sim-dev", "dev-password", ["devs"])),
    }, currentContext: Cluster);

    private Task<PortholeTestHost> StartProxyAsync(string trusted) =>
        kube.StartPortholeAsync(new PortholeOptions { AuthMode = AuthMode.Proxy, TrustedProxies = [IPNetwork.Parse(trusted)] }, currentContext: Cluster);

    private static async Task<AuthTestClient> SignInAsync(PortholeTestHost host, string user, string password)
    {
        var client = new AuthTestClient(host.Url);
        using var login = await client.LoginAsync(user, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    [Fact]
    public async Task LocalUser_MappedToSimViewer_ListsButCannotDelete()
    {
        await using var host = await StartLocalAsync();
        using var viewer = await SignInAsync(host, "sim-viewer", "viewer-password");

        using var list = await viewer.Http.GetAsync(Url(Cluster, "api/v1/namespaces/default/configmaps"));
        using var delete = await SendAsync(viewer.Http, HttpMethod.Delete, Url(Cluster, "api/v1/namespaces/default/configmaps/kube-root-ca.crt"));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        var status = await JsonAsync(delete);
        Assert.Contains("User \"sim-viewer\" cannot delete resource \"configmaps\"", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalUser_MappedToSimDev_EditsOnlyInTeamA()
    {
        await using var host = await StartLocalAsync();
        using var dev = await SignInAsync(host, "sim-dev", "dev-password");
        var name = $"dev-{Guid.NewGuid():N}"[..20];

        using var inTeamA = await SendAsync(dev.Http, HttpMethod.Post, Url(Cluster, "api/v1/namespaces/team-a/configmaps"), ConfigMap("team-a", name, "v1"));
        using var patched = await SendAsync(dev.Http, HttpMethod.Patch, Url(Cluster, $"api/v1/namespaces/team-a/configmaps/{name}"),
            """{"data":{"key":"v2"}}""", contentType: "application/merge-patch+json");
        using var inDefault = await SendAsync(dev.Http, HttpMethod.Post, Url(Cluster, "api/v1/namespaces/default/configmaps"), ConfigMap("default", name, "v1"));

        Assert.Equal(HttpStatusCode.Created, inTeamA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("v2", (await JsonAsync(patched)).GetProperty("data").GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, inDefault.StatusCode);
        Assert.Contains("sim-dev", (await JsonAsync(inDefault)).GetProperty("message").GetString(), StringComparison.Ordinal);

        using var admin = await SignInAsync(host, "root", "admin-password");
        var audit = await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?user=sim-dev");
        var entries = audit.GetProperty("items").EnumerateArray()
            .Select(e => $"{e.GetProperty("verb").GetString()} {e.GetProperty("namespace").GetString()}/{e.GetProperty("resource").GetString()}/{e.GetProperty("name").GetString()} {e.GetProperty("result").GetString()}");
        Assert.Equal(["create default/configmaps/ denied", $"patch team-a/configmaps/{name} success", "create team-a/configmaps/ success"], entries);
    }

    [Fact]
    public async Task ClientImpersonateHeaders_SignedInViewer_CannotEscalate()
    {
        await using var host = await StartLocalAsync();
        using var viewer = await SignInAsync(host, "sim-viewer", "viewer-password");

        using var delete = await SendAsync(viewer.Http, HttpMethod.Delete, Url(Cluster, "api/v1/namespaces/default/configmaps/kube-root-ca.crt"),
            headers: h =>
            {
                h.Add("Impersonate-User", "sim-admin");
                h.Add("Impersonate-Group", "system:masters");
                h.Add("Impersonate-Uid", "0");
            });

        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Contains("User \"sim-viewer\"", (await JsonAsync(delete)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotSignedIn_ResourceApi_401NeverTheServerIdentity()
    {
        await using var host = await StartLocalAsync();
        using var anonymous = new AuthTestClient(host.Url);

        using var list = await anonymous.Http.GetAsync(Url(Cluster, "api/v1/namespaces/default/configmaps"));

        await ProblemJson.AssertProblemAsync(list, 401, "unauthenticated");
    }

    [Fact]
    public async Task ProxyMode_HeadersFromUntrustedAddress_IgnoredAnd401()
    {
        await using var host = await StartProxyAsync("10.0.0.0/8");
        using var client = host.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-User", "sim-admin");
        client.DefaultRequestHeaders.Add("X-Forwarded-Groups", "system:masters");

        using var list = await client.GetAsync(Url(Cluster, "api/v1/namespaces/default/configmaps"));

        await ProblemJson.AssertProblemAsync(list, 401, "unauthenticated");
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("not in PORTHOLE_TRUSTED_PROXIES", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProxyMode_HeadersFromTrustedProxy_ActAsThatUser()
    {
        await using var host = await StartProxyAsync("127.0.0.0/8");
        using var client = host.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-User", "sim-dev");
        client.DefaultRequestHeaders.Add("X-Forwarded-Groups", "devs, qa");

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        using var inDefault = await SendAsync(client, HttpMethod.Post, Url(Cluster, "api/v1/namespaces/default/configmaps"), ConfigMap("default", "proxied", "x"));
        using var noCsrf = await client.PostAsync(Url(Cluster, "api/v1/namespaces/team-a/configmaps"), new StringContent(ConfigMap("team-a", "proxied", "x")));

        Assert.Equal("sim-dev", me.GetProperty("user").GetString());
        Assert.Equal(["devs", "qa"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, inDefault.StatusCode);
        Assert.Contains("sim-dev", (await JsonAsync(inDefault)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        Assert.Equal("csrf", (await JsonAsync(noCsrf)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TokenMode_ViewerToken_CallsWithTheUsersTokenNotPortholesAdminIdentity()
    {
        // Porthole's own identity here is sim-admin: any fallback to it would let the create succeed.
        await using var host = await kube.StartPortholeAsync(new PortholeOptions { AuthMode = AuthMode.Token }, currentContext: "sim-admin");
        using var browser = new AuthTestClient(host.Url);

        using var login = await browser.Http.PostAsJsonAsync("/api/v1/auth/login", new { token = kube.Sim.Tokens["sim-viewer"], cluster = "sim-admin" });
        var me = await browser.Http.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        using var list = await browser.Http.GetAsync(Url("sim-admin", "api/v1/namespaces/default/configmaps"));
        using var create = await SendAsync(browser.Http, HttpMethod.Post, Url("sim-admin", "api/v1/namespaces/default/configmaps"), ConfigMap("default", "by-token", "x"));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("sim-viewer", me.GetProperty("user").GetString());
        Assert.Equal("token", me.GetProperty("mode").GetString());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("User \"sim-viewer\"", (await JsonAsync(create)).GetProperty("message").GetString(), StringComparison.Ordinal);
        var cookie = browser.Cookies.GetCookies(host.Url)["porthole_session"]!.Value;
        Assert.DoesNotContain(kube.Sim.Tokens["sim-viewer"], cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenMode_BadTokenRejectedAndBearerTokenAccepted()
    {
        await using var host = await kube.StartPortholeAsync(new PortholeOptions { AuthMode = AuthMode.Token }, currentContext: "sim-admin");
        using var browser = new AuthTestClient(host.Url);

        using var bad = await browser.Http.PostAsJsonAsync("/api/v1/auth/login", new { token = "not-a-kubesim-token" });
        await ProblemJson.AssertProblemAsync(bad, 401, "invalid_credentials");

        using var api = host.Client();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kube.Sim.Tokens["sim-dev"]);
        using var create = await api.PostAsync(Url("sim-admin", "api/v1/namespaces/team-a/configmaps"),
            new StringContent(ConfigMap("team-a", $"bearer-{Guid.NewGuid():N}"[..20], "x"), System.Text.Encoding.UTF8, "application/json"));
        using var denied = await api.DeleteAsync(Url("sim-admin", "api/v1/namespaces/default/configmaps/kube-root-ca.crt"));

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("User \"sim-dev\"", (await JsonAsync(denied)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
