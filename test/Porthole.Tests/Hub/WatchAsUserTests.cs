using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters;
using Porthole.Clusters.Caching;

namespace Porthole.Tests.Hub;

/// <summary>
/// Cluster "sim-porthole" is Porthole as KubeSim's sim-porthole, whose role is the chart's
/// ClusterRole: it may not read secrets. A user's watch of secrets is then made as that user
/// (impersonated, or with the user's own token), never as the server and never shared with
/// another user; someone without the right gets forbidden.
/// </summary>
public sealed class WatchAsUserTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private const string Cluster = "sim-porthole";

    private static object Secrets(string ns) => new { cluster = Cluster, version = "v1", resource = "secrets", @namespace = ns };

    private async Task CreateSecretAsync(string ns, string name) =>
        (await fixture.Admin.PostAsJsonAsync($"api/v1/namespaces/{ns}/secrets", new { apiVersion = "v1", kind = "Secret", metadata = new { name }, stringData = new { k = "v" } })).EnsureSuccessStatusCode();

    [Fact]
    public async Task Subscribe_SecretsTheServerMayNotRead_LiveWatchAsTheUser()
    {
        var name = "s-" + Guid.NewGuid().ToString("n")[..8];
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await fixture.Sim.CreateHttpClient("sim-porthole").GetAsync("api/v1/namespaces/team-a/secrets")).StatusCode);

        // sim-dev may edit in team-a, secrets included.
        await using var dev = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-dev"));
        await dev.SubscribeAsync("watch:s", Secrets("team-a"));
        Assert.Equal("SNAPSHOT", (await dev.NextEventAsync("watch:s")).GetProperty("type").GetString());

        await CreateSecretAsync("team-a", name);
        await AddedAsync(dev, name);
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        Assert.Contains(cache.Upstreams, u => u.Key.Resource == "secrets" && u.Key.Namespace == "team-a" && u.Owner == WatchAccess.SubjectOf(new KubeCredential.Impersonation("sim-dev", ["system:authenticated"])));
        Assert.DoesNotContain(cache.Upstreams, u => u.Key.Resource == "secrets" && u.Owner.Length == 0);
    }

    [Fact]
    public async Task Subscribe_SecretsWithoutTheRight_Forbidden()
    {
        // sim-viewer has the view role: no secrets.
        await using var viewer = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("sim-viewer"));
        await viewer.SubscribeAsync("watch:s", Secrets("team-a"));
        await viewer.NextErrorAsync("watch:s", "forbidden");

        await using var token = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.WithToken("sim-viewer"));
        await token.SubscribeAsync("watch:s", Secrets("team-a"));
        await token.NextErrorAsync("watch:s", "forbidden");
    }

    [Fact]
    public async Task Subscribe_TwoUsersOnSecrets_TwoUpstreamWatchesNeverShared()
    {
        var ns = await fixture.NamespaceAsync();
        var name = "s-" + Guid.NewGuid().ToString("n")[..8];
        await EditorAsync(ns, "ops");
        var before = fixture.Sim.Counters.OpenWatches;
        await using var admin = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("ops"));
        await admin.SubscribeAsync("watch:s", Secrets(ns));
        Assert.Equal("SNAPSHOT", (await admin.NextEventAsync("watch:s")).GetProperty("type").GetString());
        await using var own = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.WithToken("sim-admin"));
        await own.SubscribeAsync("watch:s", Secrets(ns));
        Assert.Equal("SNAPSHOT", (await own.NextEventAsync("watch:s")).GetProperty("type").GetString());

        // Each user its own list+watch, and each sees the new secret through it.
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        var owners = cache.Upstreams.Where(u => u.Key.Resource == "secrets" && u.Key.Namespace == ns).Select(u => u.Owner).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, owners.Count);
        Assert.StartsWith("token:", owners[0], StringComparison.Ordinal);
        Assert.Equal(WatchAccess.SubjectOf(new KubeCredential.Impersonation("ops", ["system:authenticated"])), owners[1]);
        await HubFixture.WaitForAsync(() => fixture.Sim.Counters.OpenWatches >= before + 2, "two upstream watches of secrets");
        await CreateSecretAsync(ns, name);
        await AddedAsync(admin, name);
        await AddedAsync(own, name);
    }

    /// <summary>Binds ClusterRole edit (secrets included) to <paramref name="user"/> in <paramref name="ns"/>.</summary>
    private async Task EditorAsync(string ns, string user) =>
        (await fixture.Admin.PostAsJsonAsync($"apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", new
        {
            apiVersion = "rbac.authorization.k8s.io/v1",
            kind = "RoleBinding",
            metadata = new { name = user + "-edit" },
            roleRef = new { apiGroup = "rbac.authorization.k8s.io", kind = "ClusterRole", name = "edit" },
            subjects = new[] { new { apiGroup = "rbac.authorization.k8s.io", kind = "User", name = user } },
        })).EnsureSuccessStatusCode();

    /// <summary>Reads watch:s until the ADDED event of secret <paramref name="name"/>.</summary>
    private static async Task AddedAsync(HubClient client, string name)
    {
        while (true)
        {
            var e = await client.NextEventAsync("watch:s");
            if (e.GetProperty("type").GetString() == "ADDED" && e.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString() == name)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task Subscribe_ConfigMapsTheServerMayRead_StillOneSharedWatch()
    {
        var ns = await fixture.NamespaceAsync();
        var selector = Guid.NewGuid().ToString("n")[..8];
        object ConfigMaps() => new { cluster = Cluster, version = "v1", resource = "configmaps", @namespace = ns, labelSelector = "t=" + selector };
        await using var a = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.AsUser("ops", "system:masters"));
        await a.SubscribeAsync("watch:cm", ConfigMaps());
        Assert.Equal("SNAPSHOT", (await a.NextEventAsync("watch:cm")).GetProperty("type").GetString());
        var open = await fixture.SettledWatchesAsync();
        await using var b = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: HubFixture.WithToken("sim-admin"));
        await b.SubscribeAsync("watch:cm", ConfigMaps());
        Assert.Equal("SNAPSHOT", (await b.NextEventAsync("watch:cm")).GetProperty("type").GetString());
        Assert.Equal(open, await fixture.SettledWatchesAsync());
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        Assert.Single(cache.Upstreams, u => u.Key.Resource == "configmaps" && u.Key.Namespace == ns && u.Owner.Length == 0);
    }
}
