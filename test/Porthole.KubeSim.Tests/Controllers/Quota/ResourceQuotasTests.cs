using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Controllers.Quota;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Controllers.Quota;

public sealed class ResourceQuotasTests
{
    private readonly ResourceRegistry _registry = new();
    private readonly ObjectStore _store = new(TimeProvider.System);
    private readonly ResourceQuotas _quotas;

    public ResourceQuotasTests()
    {
        _quotas = new ResourceQuotas(_store, _registry);
    }

    private ResourceType Type(string group, string plural) => _registry.All.First(t => t.Group == group && t.Plural == plural);

    [Fact]
    public void Create_Quota_StatusHasHardAndUsedAtOnce()
    {
        Create("", "configmaps", Obj("cm", "app"));
        Create("", "pods", Pod("done", phase: "Succeeded"));
        Create("", "pods", Pod("web", cpu: "250m", memoryLimit: "64Mi"));
        Create("", "pods", Pod("api", cpu: "1", memoryLimit: "1Gi"));
        Create("", "services", Service("lb", "LoadBalancer", ports: 2));

        var quota = Create("", "resourcequotas", Quota("limits", """
            {"pods":"10","requests.cpu":"4","limits.memory":"2Gi","configmaps":"5","services.nodeports":"4",
             "services.loadbalancers":"1","count/deployments.apps":"3","resourcequotas":"1","example.com/gpu":"1"}
            """));

        var status = _store.Get(Type("", "resourcequotas"), "team", "limits")!.Parse()["status"]!;
        Assert.Equal("""{"configmaps":"5","count/deployments.apps":"3","example.com/gpu":"1","limits.memory":"2Gi","pods":"10","requests.cpu":"4","resourcequotas":"1","services.loadbalancers":"1","services.nodeports":"4"}""", status["hard"]!.ToJsonString());
        Assert.Equal("""{"configmaps":"1","count/deployments.apps":"0","limits.memory":"1088Mi","pods":"2","requests.cpu":"1250m","resourcequotas":"1","services.loadbalancers":"1","services.nodeports":"2"}""", status["used"]!.ToJsonString());
        Assert.NotNull(quota);
    }

    [Fact]
    public void Create_OverHardLimit_ForbiddenWithUpstreamWordingAndNothingStored()
    {
        Create("", "resourcequotas", Quota("small", """{"pods":"1","requests.cpu":"1"}"""));
        Create("", "pods", Pod("first", cpu: "600m"));

        var e = Assert.Throws<ApiException>(() => Create("", "pods", Pod("second", cpu: "500m")));

        Assert.Equal((403, "Forbidden"), (e.Code, e.Reason));
        Assert.Equal("pods \"second\" is forbidden: exceeded quota: small, requested: pods=1,requests.cpu=500m, used: pods=1,requests.cpu=600m, limited: pods=1,requests.cpu=1", e.Message);
        Assert.Null(_store.Get(Type("", "pods"), "team", "second"));
    }

    [Fact]
    public void Create_PodWithoutRequestsUnderComputeQuota_MustSpecify()
    {
        Create("", "resourcequotas", Quota("compute", """{"cpu":"2","limits.memory":"1Gi"}"""));

        var e = Assert.Throws<ApiException>(() => Create("", "pods", Pod("bare")));

        Assert.Equal("pods \"bare\" is forbidden: failed quota: compute: must specify cpu for: app; limits.memory for: app", e.Message);
    }

    [Fact]
    public void Create_OtherNamespaceOrUncountedKind_NotChecked()
    {
        Create("", "resourcequotas", Quota("none", """{"pods":"0","configmaps":"0"}"""));

        var elsewhere = Pod("web");
        elsewhere.Metadata()["namespace"] = "other";
        Assert.NotNull(Create("", "pods", elsewhere));
        Assert.NotNull(Create("", "secrets", Obj("s", "x")));
        Assert.Throws<ApiException>(() => Create("", "configmaps", Obj("cm", "x")));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("250m", "250m")]
    [InlineData("1500m", "1500m")]
    [InlineData("2000m", "2")]
    [InlineData("4000", "4k")]
    [InlineData("64Mi", "64Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("100M", "100M")]
    public void Quantity_ParseThenPrint_Canonical(string text, string printed)
    {
        Assert.Equal(printed, Quantity.Parse(text)!.Value.ToString());
    }

    private StoredObject? Create(string group, string plural, JsonObject obj)
    {
        var type = Type(group, plural);
        return _quotas.Create(type, obj, () => _store.Create(type, obj));
    }

    private static JsonObject Obj(string kind, string name) =>
        new() { ["metadata"] = new JsonObject { ["namespace"] = "team", ["name"] = name }, ["kind"] = kind };

    private static JsonObject Quota(string name, string hard)
    {
        var quota = Obj("ResourceQuota", name);
        quota["spec"] = new JsonObject { ["hard"] = JsonNode.Parse(hard) };
        return quota;
    }

    private static JsonObject Pod(string name, string? cpu = null, string? memoryLimit = null, string phase = "Running")
    {
        var resources = new JsonObject();
        if (cpu is not null)
        {
            resources["requests"] = new JsonObject { ["cpu"] = cpu };
        }

        if (memoryLimit is not null)
        {
            resources["limits"] = new JsonObject { ["memory"] = memoryLimit };
        }

        var pod = Obj("Pod", name);
        pod["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx", ["resources"] = resources }) };
        pod["status"] = new JsonObject { ["phase"] = phase };
        return pod;
    }

    private static JsonObject Service(string name, string type, int ports)
    {
        var service = Obj("Service", name);
        var list = new JsonArray();
        for (var i = 0; i < ports; i++)
        {
            list.Add(new JsonObject { ["port"] = 80 + i });
        }

        service["spec"] = new JsonObject { ["type"] = type, ["ports"] = list };
        return service;
    }
}
