using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Metrics;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Metrics;

public sealed class MetricsApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 20, 10, 7, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry = new();
    private readonly MetricsApi _api;

    public MetricsApiTests()
    {
        _store = new ObjectStore(_time);
        var nodes = _registry.Find("", "v1", "nodes")!;
        foreach (var node in SimNodes.Create(2, Now))
        {
            _store.Create(nodes, node);
        }

        AddPod("default", "web", "kubesim-node-1", running: true, "app", "proxy");
        AddPod("default", "db", "kubesim-node-2", running: true, "postgres");
        AddPod("other", "batch", "kubesim-node-1", running: true, "worker");
        AddPod("default", "starting", "kubesim-node-2", running: false, "app");
        _api = new MetricsApi(_store, _registry, _time);
    }

    private void AddPod(string ns, string name, string node, bool running, params string[] containers)
    {
        var specs = new JsonArray();
        var statuses = new JsonArray();
        foreach (var c in containers)
        {
            specs.Add(new JsonObject
            {
                ["name"] = c,
                ["image"] = "nginx",
                ["resources"] = c == "postgres" ? new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "1Gi" } } : new JsonObject(),
            });
            statuses.Add(new JsonObject
            {
                ["name"] = c,
                ["state"] = running
                    ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-11-23T20:00:00Z" } }
                    : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            });
        }

        _store.Create(_registry.Find("", "v1", "pods")!, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = Guid.NewGuid().ToString(), ["labels"] = new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = specs },
            ["status"] = new JsonObject { ["phase"] = running ? "Running" : "Pending", ["containerStatuses"] = statuses },
        });
    }

    private static double Cpu(JsonNode? usage) => Quantities.Parse(usage.Str("cpu"))!.Value;

    private static double Memory(JsonNode? usage) => Quantities.Parse(usage.Str("memory"))!.Value;

    [Fact]
    public void PodMetrics_RunningPod_ShapeLikeMetricsServer()
    {
        var m = _api.PodMetrics("default", "web");

        Assert.Equal("PodMetrics", m.Str("kind"));
        Assert.Equal("metrics.k8s.io/v1beta1", m.Str("apiVersion"));
        Assert.Equal("web", m.Name());
        Assert.Equal("default", m.Namespace());
        Assert.Equal("web", m.Labels()["app"]);
        Assert.Equal("2026-11-23T20:10:00Z", m.Str("timestamp"));
        Assert.Equal("15s", m.Str("window"));
        var containers = m.Arr("containers")!;
        Assert.Equal(["app", "proxy"], containers.Select(c => c.Str("name")));
        Assert.All(containers, c =>
        {
            Assert.Matches("^[0-9]+n$", c.Str("usage", "cpu"));
            Assert.Matches("^[0-9]+Ki$", c.Str("usage", "memory"));
            Assert.InRange(Cpu(c!["usage"]), 0.0001, 0.2);
            Assert.InRange(Memory(c!["usage"]), 4 * 1024 * 1024, 300 * 1024 * 1024);
        });

        var typed = k8s.KubernetesJson.Deserialize<k8s.Models.PodMetrics>(m.ToJsonString());
        Assert.Equal(2, typed.Containers.Count);
    }

    [Fact]
    public void PodMetrics_WithRequests_UsageScaledToRequests()
    {
        var usage = _api.PodMetrics("default", "db").Arr("containers")![0]!["usage"];

        Assert.InRange(Cpu(usage), 0.02, 0.6);
        Assert.InRange(Memory(usage), 0.25 * 1024 * 1024 * 1024, 0.9 * 1024 * 1024 * 1024);
    }

    [Fact]
    public void PodMetrics_MissingOrNotRunning_NotFoundLikeMetricsServer()
    {
        var missing = Assert.Throws<ApiException>(() => _api.PodMetrics("default", "nope"));
        Assert.Equal(404, missing.Code);
        Assert.Equal("pods.metrics.k8s.io \"default/nope\" not found", missing.Message);
        Assert.Equal(404, Assert.Throws<ApiException>(() => _api.PodMetrics("default", "starting")).Code);
        var node = Assert.Throws<ApiException>(() => _api.NodeMetrics("kubesim-node-9"));
        Assert.Equal("nodes.metrics.k8s.io \"kubesim-node-9\" not found", node.Message);
    }

    [Fact]
    public void PodMetricsList_Namespace_RunningPodsOnly()
    {
        var all = _api.PodMetricsList(null);
        var defaults = _api.PodMetricsList("default");
        var selected = _api.PodMetricsList(null, labels => labels.GetValueOrDefault("app") == "db");

        Assert.Equal("PodMetricsList", all.Str("kind"));
        Assert.Equal("metrics.k8s.io/v1beta1", all.Str("apiVersion"));
        Assert.Equal(["db", "web", "batch"], all.Arr("items")!.Select(i => i.Str("metadata", "name")));
        Assert.Equal(["db", "web"], defaults.Arr("items")!.Select(i => i.Str("metadata", "name")));
        Assert.Equal(["db"], selected.Arr("items")!.Select(i => i.Str("metadata", "name")));
    }

    [Fact]
    public void NodeMetrics_UsageAtLeastSumOfItsPods()
    {
        var node = _api.NodeMetrics("kubesim-node-1");
        var pods = _api.PodMetricsList(null).Arr("items")!
            .Where(i => i.Str("metadata", "name") is "web" or "batch")
            .SelectMany(i => i!["containers"]!.AsArray()).ToList();
        var podCpu = pods.Sum(c => Cpu(c!["usage"]));
        var podMemory = pods.Sum(c => Memory(c!["usage"]));

        Assert.Equal("NodeMetrics", node.Str("kind"));
        Assert.Equal("15s", node.Str("window"));
        Assert.Equal("kubesim-node-1", node.Name());
        Assert.InRange(Cpu(node["usage"]) - podCpu, 0.05, 0.3);
        Assert.InRange(Memory(node["usage"]) - podMemory, 400.0 * 1024 * 1024, 1000.0 * 1024 * 1024);
        var list = _api.NodeMetricsList();
        Assert.Equal("NodeMetricsList", list.Str("kind"));
        Assert.Equal(["kubesim-node-1", "kubesim-node-2"], list.Arr("items")!.Select(i => i.Str("metadata", "name")));
        var typed = k8s.KubernetesJson.Deserialize<k8s.Models.NodeMetricsList>(list.ToJsonString());
        Assert.Equal(2, typed.Items.Count());
    }

    [Fact]
    public void PodMetrics_OverTime_StableWithinWindowAndMovingAcrossWindows()
    {
        var first = _api.PodMetrics("default", "web").Arr("containers")![0]!["usage"]!.ToJsonString();
        _time.Advance(TimeSpan.FromSeconds(5));
        var sameWindow = _api.PodMetrics("default", "web").Arr("containers")![0]!["usage"]!.ToJsonString();
        _time.Advance(TimeSpan.FromSeconds(60));
        var later = _api.PodMetrics("default", "web").Arr("containers")![0]!["usage"]!.ToJsonString();

        Assert.Equal(first, sameWindow);
        Assert.NotEqual(first, later);
        Assert.Equal(later, new MetricsApi(_store, _registry, _time).PodMetrics("default", "web").Arr("containers")![0]!["usage"]!.ToJsonString());
    }
}
