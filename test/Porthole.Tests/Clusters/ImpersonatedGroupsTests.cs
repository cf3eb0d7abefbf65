using System.Net;
using System.Net.Http.Json;
using Porthole.Hosting;
using Porthole.Tests.Auth;
using static Porthole.Tests.Apis.ResourceClient;

namespace Porthole.Tests.Clusters;

/// <summary>
/// A signed-in user's groups reach Kubernetes one Impersonate-Group line each, exactly as named
/// (kubernetes/kubernetes#94683: "Impersonate-Group: a, b" is one group called "a, b"). Porthole
/// runs as KubeSim's sim-porthole; only the user's last group is bound to a role, so a request
/// is allowed only if that group arrived on its own.
/// </summary>
public sealed class ImpersonatedGroupsTests(KubeSimFixture kube) : IClassFixture<KubeSimFixture>, IDisposable
{
    private const string Cluster = "sim-porthole";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A fresh namespace where <paramref name="group"/> (and nobody else) may edit.</summary>
    private async Task<string> NamespaceEditableByAsync(string group)
    {
        using var admin = kube.Sim.CreateHttpClient("sim-admin");
        var ns = "g-" + Guid.NewGuid().ToString("n")[..10];
        (await admin.PostAsJsonAsync("api/v1/namespaces", new { apiVersion = "v1", kind = "Namespace", metadata = new { name = ns } })).EnsureSuccessStatusCode();
        await KubeSimFixture.BindGroupAsync(admin, ns, group);
        return ns;
    }

    /// <summary>Auth mode local with one user "carol" (password "carol-password") in <paramref name="groups"/>, given as YAML flow scalars.</summary>
    private Task<PortholeTestHost> StartLocalAsync(params string[] groups)
    {
        var path = Path.Combine(_dir.Path, "users.yaml");
        File.WriteAllText(path, $"users:\n- username: carol\n  passwordHash: \"{Porthole.Auth.Local.PasswordHasher.Hash("carol-password")}\"\n  groups: [{string.Join(", ", groups)}]\n");
        return kube.StartPortholeAsync(new PortholeOptions { AuthMode = AuthMode.Local, UsersFile = path }, currentContext: Cluster);
    }

    private static async Task<AuthTestClient> SignInAsync(PortholeTestHost host)
    {
        var client = new AuthTestClient(host.Url);
        using var login = await client.LoginAsync("carol", "carol-password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    [Fact]
    public async Task Request_LocalUserWithTwoGroups_SecondGroupsRoleBindingAllowsIt()
    {
        var ns = await NamespaceEditableByAsync("team-editors");
        await using var host = await StartLocalAsync("readers", "team-editors");
        using var carol = await SignInAsync(host);

        using var create = await SendAsync(carol.Http, HttpMethod.Post, Url(Cluster, $"api/v1/namespaces/{ns}/configmaps"), ConfigMap(ns, "by-group", "x"));
        using var elsewhere = await SendAsync(carol.Http, HttpMethod.Post, Url(Cluster, "api/v1/namespaces/default/configmaps"), ConfigMap("default", "by-group", "x"));

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Contains("User \"carol\"", (await JsonAsync(elsewhere)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfSubjectReview_GroupsWithCommaSpacesAndUnicode_KubernetesSeesEachExactly()
    {
        var ns = await NamespaceEditableByAsync("Ops, Berlin");
        await using var host = await StartLocalAsync("readers", "\"Ops, Berlin\"", "\"Développeurs (ü)\"");
        using var carol = await SignInAsync(host);

        using var review = await SendAsync(carol.Http, HttpMethod.Post, Url(Cluster, "apis/authentication.k8s.io/v1/selfsubjectreviews"),
            """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");
        using var create = await SendAsync(carol.Http, HttpMethod.Post, Url(Cluster, $"api/v1/namespaces/{ns}/configmaps"), ConfigMap(ns, "by-comma-group", "x"));

        Assert.Equal(HttpStatusCode.Created, review.StatusCode);
        var info = (await JsonAsync(review)).GetProperty("status").GetProperty("userInfo");
        Assert.Equal("carol", info.GetProperty("username").GetString());
        Assert.Equal(["readers", "Ops, Berlin", "Développeurs (ü)", "system:authenticated"], info.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }

    [Fact]
    public async Task Request_ProxyUserWithTwoGroups_SecondGroupsRoleBindingAllowsIt()
    {
        var ns = await NamespaceEditableByAsync("proxied-editors");
        await using var host = await kube.StartPortholeAsync(new PortholeOptions { AuthMode = AuthMode.Proxy, TrustedProxies = [IPNetwork.Parse("127.0.0.0/8")] }, currentContext: Cluster);
        using var client = host.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-User", "dave");
        client.DefaultRequestHeaders.Add("X-Forwarded-Groups", "viewers, proxied-editors");

        using var create = await SendAsync(client, HttpMethod.Post, Url(Cluster, $"api/v1/namespaces/{ns}/configmaps"), ConfigMap(ns, "by-proxy-group", "x"));

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }
}
