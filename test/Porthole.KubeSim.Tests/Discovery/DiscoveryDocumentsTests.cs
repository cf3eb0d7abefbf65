using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Discovery;
using Porthole.KubeSim.OpenApi;

namespace Porthole.KubeSim.Tests.Discovery;

public sealed class DiscoveryDocumentsTests
{
    private static JsonObject Parse(ServedDocument? doc) => JsonNode.Parse(doc!.Body)!.AsObject();

    private static JsonObject Entry(JsonObject list, string name) =>
        list["resources"]!.AsArray().OfType<JsonObject>().Single(r => r.Str("name") == name);

    [Fact]
    public void ResourceList_CoreV1_ListsPodsAndSubresources()
    {
        var list = Parse(new DiscoveryDocuments(new ResourceRegistry()).ResourceList("", "v1"));

        Assert.Equal("APIResourceList", list.Str("kind"));
        Assert.Equal("v1", list.Str("groupVersion"));
        var pods = Entry(list, "pods");
        Assert.Equal("pod", pods.Str("singularName"));
        Assert.True(pods.Bool("namespaced"));
        Assert.Equal("Pod", pods.Str("kind"));
        Assert.Equal("[\"po\"]", pods["shortNames"]!.ToJsonString());
        Assert.Equal("[\"all\"]", pods["categories"]!.ToJsonString());
        Assert.Equal("[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]", pods["verbs"]!.ToJsonString());
        Assert.Equal("xPOwRZ+Yhw8=", pods.Str("storageVersionHash"));

        var exec = Entry(list, "pods/exec");
        Assert.Equal("PodExecOptions", exec.Str("kind"));
        Assert.Equal("[\"create\",\"get\"]", exec["verbs"]!.ToJsonString());
        Assert.Equal("", exec.Str("singularName"));
        Assert.Equal("[\"get\"]", Entry(list, "pods/log")["verbs"]!.ToJsonString());
        Assert.Equal("[\"get\",\"patch\",\"update\"]", Entry(list, "pods/status")["verbs"]!.ToJsonString());
        var eviction = Entry(list, "pods/eviction");
        Assert.Equal("policy", eviction.Str("group"));
        Assert.Equal("Eviction", eviction.Str("kind"));
        Assert.False(Entry(list, "namespaces").Bool("namespaced"));

        var names = list["resources"]!.AsArray().Select(r => r!.Str("name")!).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void ResourceList_AppsV1_ScaleIsAutoscalingScale()
    {
        var list = Parse(new DiscoveryDocuments(new ResourceRegistry()).ResourceList("apps", "v1"));

        var scale = Entry(list, "deployments/scale");
        Assert.Equal("autoscaling", scale.Str("group"));
        Assert.Equal("v1", scale.Str("version"));
        Assert.Equal("Scale", scale.Str("kind"));
        Assert.Equal("[\"get\",\"patch\",\"update\"]", scale["verbs"]!.ToJsonString());
        Assert.Equal("[\"deploy\"]", Entry(list, "deployments")["shortNames"]!.ToJsonString());
    }

    [Fact]
    public void ResourceList_UnknownGroupVersion_ReturnsNull()
    {
        Assert.Null(new DiscoveryDocuments(new ResourceRegistry()).ResourceList("apps", "v1beta1"));
    }

    [Fact]
    public void GroupList_Autoscaling_PrefersV2()
    {
        var docs = new DiscoveryDocuments(new ResourceRegistry());
        var list = Parse(docs.GroupList());

        Assert.Equal("APIGroupList", list.Str("kind"));
        var autoscaling = list["groups"]!.AsArray().OfType<JsonObject>().Single(g => g.Str("name") == "autoscaling");
        Assert.Equal("autoscaling/v2", autoscaling.Str("preferredVersion", "groupVersion"));
        Assert.Equal(2, autoscaling["versions"]!.AsArray().Count);
        Assert.DoesNotContain(list["groups"]!.AsArray(), g => g!.Str("name") == "");

        var group = Parse(docs.Group("apps"));
        Assert.Equal("APIGroup", group.Str("kind"));
        Assert.Equal("apps/v1", group.Str("preferredVersion", "groupVersion"));
        Assert.Null(docs.Group("nope.example.com"));
    }

    [Fact]
    public void CoreVersions_ServerAddress_IsReported()
    {
        var doc = DiscoveryDocuments.CoreVersions("127.0.0.1:6443");

        Assert.Equal("APIVersions", doc.Str("kind"));
        Assert.Equal("127.0.0.1:6443", doc["serverAddressByClientCIDRs"]![0]!.Str("serverAddress"));
    }

    [Fact]
    public void Aggregated_ApisV2_DescribesDeployments()
    {
        var served = new DiscoveryDocuments(new ResourceRegistry()).Aggregated(core: false, "v2");
        var doc = Parse(served);

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", served.ContentType);
        Assert.Equal("APIGroupDiscoveryList", doc.Str("kind"));
        Assert.Equal("apidiscovery.k8s.io/v2", doc.Str("apiVersion"));
        var apps = doc["items"]!.AsArray().OfType<JsonObject>().Single(i => i.Str("metadata", "name") == "apps");
        var v1 = apps["versions"]![0]!.AsObject();
        Assert.Equal("Current", v1.Str("freshness"));
        var deployments = v1["resources"]!.AsArray().OfType<JsonObject>().Single(r => r.Str("resource") == "deployments");
        Assert.Equal("Namespaced", deployments.Str("scope"));
        Assert.Equal("Deployment", deployments.Str("responseKind", "kind"));
        Assert.Equal("deployment", deployments.Str("singularResource"));
        var scale = deployments["subresources"]!.AsArray().OfType<JsonObject>().Single(s => s.Str("subresource") == "scale");
        Assert.Equal("autoscaling", scale.Str("responseKind", "group"));
        Assert.Equal("Scale", scale.Str("responseKind", "kind"));
        Assert.DoesNotContain(doc["items"]!.AsArray(), i => i!.Str("metadata", "name") is null);
    }

    [Fact]
    public void Aggregated_CoreV2Beta1_HasOnlyCoreGroup()
    {
        var doc = Parse(new DiscoveryDocuments(new ResourceRegistry()).Aggregated(core: true, "v2beta1"));

        Assert.Equal("apidiscovery.k8s.io/v2beta1", doc.Str("apiVersion"));
        var item = Assert.Single(doc["items"]!.AsArray())!.AsObject();
        var namespaces = item["versions"]![0]!["resources"]!.AsArray().OfType<JsonObject>().Single(r => r.Str("resource") == "namespaces");
        Assert.Equal("Cluster", namespaces.Str("scope"));
    }

    [Fact]
    public void Documents_RegistryChanged_RebuiltOnceThenCached()
    {
        var registry = new ResourceRegistry();
        var docs = new DiscoveryDocuments(registry);
        var before = docs.GroupList();
        Assert.Same(before, docs.GroupList());

        registry.SetCustom("stable.example.com", "crontabs", CrdResources.FromCrd(CrdFixtures.CronTab()));

        var after = docs.GroupList();
        Assert.NotSame(before, after);
        Assert.Same(after, docs.GroupList());
        Assert.Contains("stable.example.com", System.Text.Encoding.UTF8.GetString(after.Body));
        var list = Parse(docs.ResourceList("stable.example.com", "v1"));
        var crontabs = Entry(list, "crontabs");
        Assert.Equal("[\"ct\"]", crontabs["shortNames"]!.ToJsonString());
        Assert.Equal("CronTab", Entry(list, "crontabs/status").Str("kind"));
        Assert.Equal("Scale", Entry(list, "crontabs/scale").Str("kind"));
    }

    [Fact]
    public void Version_ReportsServer131()
    {
        var doc = Parse(DiscoveryDocuments.Version);

        Assert.Equal("1", doc.Str("major"));
        Assert.Equal("31", doc.Str("minor"));
        Assert.Equal("v1.31.0-kubesim", doc.Str("gitVersion"));
        Assert.Equal("linux/amd64", doc.Str("platform"));
    }
}
