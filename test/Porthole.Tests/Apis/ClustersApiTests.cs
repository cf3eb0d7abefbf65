using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters;
using static Porthole.Tests.Apis.ResourceClient;

namespace Porthole.Tests.Apis;

public sealed class ClustersApiTests(KubeSimFixture kube) : IClassFixture<KubeSimFixture>
{
    [Fact]
    public async Task List_KubeconfigContexts_NameServerStatusVersion()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        var clusters = (await JsonAsync(await client.GetAsync("/api/v1/clusters"))).GetProperty("clusters").EnumerateArray().ToList();

        Assert.Equal(["sim-admin", "sim-dev", "sim-porthole", "sim-viewer"], clusters.Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var admin = clusters.Single(c => c.GetProperty("name").GetString() == "sim-admin");
        Assert.Equal(kube.Sim.Url.ToString().TrimEnd('/'), admin.GetProperty("server").GetString()!.TrimEnd('/'));
        Assert.Equal("ok", admin.GetProperty("status").GetString());
        Assert.StartsWith("v1.", admin.GetProperty("version").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiResources_BuiltIns_GroupsVersionsKindsVerbsNamespaced()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        var resources = (await JsonAsync(await client.GetAsync("/api/v1/clusters/sim-admin/api-resources"))).GetProperty("resources").EnumerateArray().ToList();

        var pods = resources.Single(r => r.GetProperty("group").GetString() == "" && r.GetProperty("name").GetString() == "pods");
        Assert.Equal("Pod", pods.GetProperty("kind").GetString());
        Assert.True(pods.GetProperty("namespaced").GetBoolean());
        Assert.Contains("list", pods.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("log", pods.GetProperty("subresources").EnumerateArray().Select(v => v.GetString()));
        var nodes = resources.Single(r => r.GetProperty("group").GetString() == "" && r.GetProperty("name").GetString() == "nodes");
        Assert.False(nodes.GetProperty("namespaced").GetBoolean());
        Assert.Contains(resources, r => r.GetProperty("group").GetString() == "apps" && r.GetProperty("kind").GetString() == "Deployment" && r.GetProperty("preferred").GetBoolean());
    }

    [Fact]
    public async Task ApiResources_CrdCreatedAndDeleted_RefreshedFromTheCrdWatch()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();
        var discovery = host.App.Services.GetRequiredService<ClusterRegistry>().Find("sim-admin")!.Discovery;
        const string crd = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.porthole.test"},
             "spec":{"group":"porthole.test","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget"},
             "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """;

        using var created = await SendAsync(client, HttpMethod.Post, Url("sim-admin", "apis/apiextensions.k8s.io/v1/customresourcedefinitions"), crd);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Eventually(() => discovery.Snapshot!.Resources.Any(r => r is { Group: "porthole.test", Kind: "Widget", Crd: true }));

        var widgets = await JsonAsync(await client.GetAsync("/api/v1/clusters/sim-admin/api-resources"));
        Assert.Contains(widgets.GetProperty("resources").EnumerateArray(), r => r.GetProperty("kind").GetString() == "Widget" && r.GetProperty("crd").GetBoolean());

        using var deleted = await SendAsync(client, HttpMethod.Delete, Url("sim-admin", "apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.porthole.test"));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await Eventually(() => !discovery.Snapshot!.Resources.Any(r => r.Group == "porthole.test"));
    }

    [Fact]
    public async Task ApiResources_UnknownCluster_404()
    {
        await using var host = await kube.StartPortholeAsync();
        using var client = host.Client();

        using var response = await client.GetAsync("/api/v1/clusters/nowhere/api-resources");

        await ProblemJson.AssertProblemAsync(response, 404, "cluster_not_found");
    }

    /// <summary>Waits for a condition with a generous deadline (no fixed sleeps).</summary>
    internal static async Task Eventually(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(KubeSimFixture.Deadline);
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
