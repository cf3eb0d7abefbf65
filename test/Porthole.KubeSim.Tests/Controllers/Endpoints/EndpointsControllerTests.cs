using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Tests.Controllers.Batch;

namespace Porthole.KubeSim.Tests.Controllers.Endpoints;

/// <summary>Endpoints and EndpointSlices of selector services, kept live as pods come and go, over HTTPS.</summary>
public sealed class EndpointsControllerTests : IClassFixture<FastSimFixture>
{
    private readonly FastSimFixture _sim;

    public EndpointsControllerTests(FastSimFixture sim)
    {
        _sim = sim;
    }

    private static JsonObject WebPod(string ns, string name, string image = "nginx:1.27")
    {
        var pod = FastSimFixture.Pod(ns, name, image);
        pod.Metadata()["labels"] = new JsonObject { ["app"] = "web" };
        pod.Obj("spec")!.Arr("containers")![0]!["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080 });
        return pod;
    }

    private static JsonObject Service(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = ns, ["labels"] = new JsonObject { ["tier"] = "front" } },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["app"] = "web" },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = "http" }),
        },
    };

    private static List<string> Ips(JsonObject ep, string field) =>
        [.. ep.Arr("subsets")?.OfType<JsonObject>().SelectMany(s => s.Arr(field)?.OfType<JsonObject>() ?? []).Select(a => a.Str("ip")!) ?? []];

    [Fact]
    public async Task Service_WithSelector_EndpointsFollowPodsWithResolvedNamedPort()
    {
        await _sim.NamespaceAsync("ep-live");
        await _sim.PostAsync("/api/v1/namespaces/ep-live/services", Service("ep-live"));
        await _sim.PostAsync("/api/v1/namespaces/ep-live/pods", WebPod("ep-live", "web-1"));
        await _sim.PostAsync("/api/v1/namespaces/ep-live/pods", WebPod("ep-live", "web-2"));
        await _sim.PostAsync("/api/v1/namespaces/ep-live/pods", WebPod("ep-live", "stuck", "example/pull-fail:1"));

        var ep = await _sim.EventuallyAsync("/api/v1/namespaces/ep-live/endpoints/web", e => Ips(e, "addresses").Count == 2 && Ips(e, "notReadyAddresses").Count == 1, "2 ready, 1 not");
        var pods = await _sim.ItemsAsync("/api/v1/namespaces/ep-live/pods");
        var ipOf = pods.ToDictionary(p => p.Name(), p => p.Str("status", "podIP")!);
        Assert.Equal(new[] { ipOf["web-1"], ipOf["web-2"] }.Order(StringComparer.Ordinal), Ips(ep, "addresses"));
        Assert.Equal([ipOf["stuck"]], Ips(ep, "notReadyAddresses"));
        var subset = ep.Arr("subsets")!.OfType<JsonObject>().Single();
        Assert.Equal(8080, subset.Long("ports", "0", "port") ?? subset.Arr("ports")![0]!.Long("port"));
        var address = subset.Arr("addresses")!.OfType<JsonObject>().First();
        Assert.Equal("Pod", address.Str("targetRef", "kind"));
        Assert.NotNull(address.Str("nodeName"));
        Assert.Equal("front", ep.Labels()["tier"]);

        var slices = await _sim.ItemsAsync("/apis/discovery.k8s.io/v1/namespaces/ep-live/endpointslices?labelSelector=kubernetes.io/service-name=web");
        var slice = Assert.Single(slices);
        Assert.Equal("endpointslice-controller.k8s.io", slice.Labels()["endpointslice.kubernetes.io/managed-by"]);
        Assert.Equal("IPv4", slice.Str("addressType"));
        Assert.Equal(3, slice.Arr("endpoints")!.Count);
        Assert.Contains(slice.Arr("endpoints")!.OfType<JsonObject>(), e => e.Bool("conditions", "ready") == false);
        Assert.Equal("Service", slice.Arr("metadata", "ownerReferences")!.OfType<JsonObject>().Single().Str("kind"));

        (await _sim.Http.DeleteAsync("/api/v1/namespaces/ep-live/pods/web-1")).EnsureSuccessStatusCode();
        await _sim.EventuallyAsync("/api/v1/namespaces/ep-live/endpoints/web", e => Ips(e, "addresses").SequenceEqual([ipOf["web-2"]]), "web-1 gone");
        await Eventually.GetAsync(
            () => _sim.ItemsAsync("/apis/discovery.k8s.io/v1/namespaces/ep-live/endpointslices?labelSelector=kubernetes.io/service-name=web"),
            s => s.Count == 1 && s[0].Arr("endpoints")!.Count == 2,
            TimeSpan.FromSeconds(60),
            "slice follows");

        (await _sim.Http.DeleteAsync("/api/v1/namespaces/ep-live/services/web")).EnsureSuccessStatusCode();
        await Eventually.GetAsync(() => _sim.GetAsync("/api/v1/namespaces/ep-live/endpoints/web"), e => e is null, TimeSpan.FromSeconds(60), "endpoints deleted");
    }
}
