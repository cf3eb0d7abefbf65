using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Area 3: discovery documents, the OpenAPI v3 index with ETags, and CRDs appearing and disappearing.</summary>
public sealed class DiscoveryOpenApiTests : IClassFixture<SimFixture>
{
    private const string AggregatedAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;q=0.9";

    private readonly SimFixture _sim;

    public DiscoveryOpenApiTests(SimFixture sim)
    {
        _sim = sim;
    }

    [Fact]
    public async Task Api_ListsCoreVersion()
    {
        using var http = _sim.Http();
        var api = await E2e.GetJsonAsync(http, "/api");
        Assert.Equal("APIVersions", (string?)api["kind"]);
        Assert.Equal(["v1"], E2e.Strings(api["versions"]));
        Assert.NotNull(api["serverAddressByClientCIDRs"]);
    }

    [Fact]
    public async Task Apis_ListsGroupsWithPreferredVersions()
    {
        using var http = _sim.Http();
        var apis = await E2e.GetJsonAsync(http, "/apis");
        Assert.Equal("APIGroupList", (string?)apis["kind"]);
        var apps = apis["groups"]!.AsArray().Single(g => (string?)g!["name"] == "apps")!;
        Assert.Equal("apps/v1", (string?)apps["preferredVersion"]!["groupVersion"]);
        Assert.Contains(apps["versions"]!.AsArray(), v => (string?)v!["version"] == "v1");
        Assert.Contains(apis["groups"]!.AsArray(), g => (string?)g!["name"] == "rbac.authorization.k8s.io");
    }

    [Fact]
    public async Task AppsV1_ResourceListHasDeploymentsAndScale()
    {
        using var http = _sim.Http();
        var list = await E2e.GetJsonAsync(http, "/apis/apps/v1");
        Assert.Equal("APIResourceList", (string?)list["kind"]);
        Assert.Equal("apps/v1", (string?)list["groupVersion"]);
        var resources = list["resources"]!.AsArray();
        var deployments = resources.Single(r => (string?)r!["name"] == "deployments")!;
        Assert.Equal("Deployment", (string?)deployments["kind"]);
        Assert.True((bool)deployments["namespaced"]!);
        Assert.Contains("deploy", E2e.Strings(deployments["shortNames"]));
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], E2e.Strings(deployments["verbs"]).Order());
        var scale = resources.Single(r => (string?)r!["name"] == "deployments/scale")!;
        Assert.Equal("autoscaling", (string?)scale["group"]);
        Assert.Equal("Scale", (string?)scale["kind"]);
    }

    [Fact]
    public async Task Apis_AggregatedAccept_ReturnsGroupDiscoveryList()
    {
        using var http = _sim.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept", AggregatedAccept);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Contains("as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("APIGroupDiscoveryList", (string?)doc["kind"]);
        Assert.Equal("apidiscovery.k8s.io/v2", (string?)doc["apiVersion"]);
        var apps = doc["items"]!.AsArray().Single(g => (string?)g!["metadata"]!["name"] == "apps")!;
        var v1 = apps["versions"]!.AsArray().Single(v => (string?)v!["version"] == "v1")!;
        var deployments = v1["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Equal("Namespaced", (string?)deployments["scope"]);
        Assert.Equal("Deployment", (string?)deployments["responseKind"]!["kind"]);
        Assert.Contains(deployments["subresources"]!.AsArray(), s => (string?)s!["subresource"] == "scale");
    }

    [Fact]
    public async Task OpenApiV3_AppsV1ByServerRelativeUrl_HonoursETag()
    {
        using var http = _sim.Http();
        var index = await E2e.GetJsonAsync(http, "/openapi/v3");
        var url = (string)index["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;
        Assert.StartsWith("/openapi/v3/apis/apps/v1?hash=", url, StringComparison.Ordinal);

        using var first = await http.GetAsync(url);
        first.EnsureSuccessStatusCode();
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        var doc = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.", (string?)doc["openapi"], StringComparison.Ordinal);
        Assert.NotNull(doc["components"]!["schemas"]!["io.k8s.api.apps.v1.Deployment"]);

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    private static V1CustomResourceDefinition Crd(string group) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"gadgets.{group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = group,
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Plural = "gadgets", Singular = "gadget", Kind = "Gadget", ListKind = "GadgetList" },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1",
                    Served = true,
                    Storage = true,
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps
                        {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps>
                            {
                                ["spec"] = new() { Type = "object", Properties = new Dictionary<string, V1JSONSchemaProps> { ["size"] = new() { Type = "integer" } } },
                            },
                        },
                    },
                },
            ],
        },
    };

    private static async Task<bool> ServesGroupAsync(HttpClient http, string group)
    {
        var apis = await E2e.GetJsonAsync(http, "/apis");
        return apis["groups"]!.AsArray().Any(g => (string?)g!["name"] == group);
    }

    private static async Task<bool> OpenApiHasAsync(HttpClient http, string group) =>
        (await E2e.GetJsonAsync(http, "/openapi/v3"))["paths"]!.AsObject().ContainsKey($"apis/{group}/v1");

    [Fact]
    public async Task Crd_CreateThenDelete_AppearsAndDisappearsWithItsObjects()
    {
        using var client = _sim.Client();
        using var http = _sim.Http();
        var ns = await E2e.NamespaceAsync(client, "crd");
        var group = $"{ns}.example.com";
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd(group));
        await Eventually.GetAsync(
            () => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync($"gadgets.{group}"),
            c => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true,
            what: "CRD established");
        await Eventually.GetAsync(() => ServesGroupAsync(http, group), s => s, what: "group in /apis");
        Assert.True(await OpenApiHasAsync(http, group));
        var resources = await E2e.GetJsonAsync(http, $"/apis/{group}/v1");
        Assert.Equal("gadgets", (string?)resources["resources"]![0]!["name"]);

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            new JsonObject { ["apiVersion"] = $"{group}/v1", ["kind"] = "Gadget", ["metadata"] = new JsonObject { ["name"] = "g1" }, ["spec"] = new JsonObject { ["size"] = 3 } },
            group, "v1", ns, "gadgets");

        var type = _sim.Server.Registry.Find(group, "v1", "gadgets")!;
        Assert.Equal(1, _sim.Server.Store.Count(type, ns));
        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"gadgets.{group}");
        await Eventually.GetAsync(() => ServesGroupAsync(http, group), s => !s, what: "group gone from /apis");
        await Eventually.GetAsync(() => OpenApiHasAsync(http, group), s => !s, what: "group gone from /openapi/v3");
        await Eventually.GetAsync(
            async () => (await client.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items.Any(c => c.Metadata.Name == $"gadgets.{group}"),
            present => !present,
            what: "CRD gone");
        Assert.Equal(0, _sim.Server.Store.Count(type, ns));
        Assert.Null(_sim.Server.Registry.Find(group, "v1", "gadgets"));
    }
}
