using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Metrics;

/// <summary>
/// metrics.k8s.io/v1beta1 as metrics-server serves it: PodMetrics for running pods and
/// NodeMetrics for ready nodes. Usage is a deterministic function of the names and the current
/// 15 s window, and each node's usage is its pods' sum plus system overhead.
/// </summary>
public sealed class MetricsApi
{
    public const string ApiVersion = "metrics.k8s.io/v1beta1";
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ResourceType _pods;
    private readonly ResourceType _nodes;

    public MetricsApi(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        _time = time;
        _pods = registry.Find("", "v1", "pods") ?? throw new InvalidOperationException("pods are not registered");
        _nodes = registry.Find("", "v1", "nodes") ?? throw new InvalidOperationException("nodes are not registered");
    }

    /// <summary>PodMetricsList of every running pod (in one namespace when <paramref name="ns"/> is set).</summary>
    public JsonObject PodMetricsList(string? ns, Func<IReadOnlyDictionary<string, string>, bool>? labelMatch = null)
    {
        var stamp = Stamp();
        var items = new JsonArray();
        foreach (var stored in _store.All(_pods, string.IsNullOrEmpty(ns) ? null : ns))
        {
            if (labelMatch is not null && !labelMatch(stored.Labels))
            {
                continue;
            }

            var pod = stored.Parse();
            if (IsRunning(pod))
            {
                items.Add(PodObject(pod, stamp));
            }
        }

        return List("PodMetricsList", items);
    }

    /// <summary>One pod's PodMetrics; 404 as metrics-server when the pod is missing or not running.</summary>
    public JsonObject PodMetrics(string ns, string name)
    {
        var pod = _store.Get(_pods, ns, name)?.Parse();
        return pod is not null && IsRunning(pod) ? PodObject(pod, Stamp()) : throw NotFound("pods", $"{ns}/{name}");
    }

    /// <summary>NodeMetricsList of every ready node.</summary>
    public JsonObject NodeMetricsList(Func<IReadOnlyDictionary<string, string>, bool>? labelMatch = null)
    {
        var stamp = Stamp();
        var running = RunningPodsByNode();
        var items = new JsonArray();
        foreach (var stored in _store.All(_nodes))
        {
            var node = stored.Parse();
            if ((labelMatch is null || labelMatch(stored.Labels)) && IsReady(node))
            {
                items.Add(NodeObject(node, running.GetValueOrDefault(stored.Name) ?? [], stamp));
            }
        }

        return List("NodeMetricsList", items);
    }

    /// <summary>One node's NodeMetrics; 404 as metrics-server when missing or not ready.</summary>
    public JsonObject NodeMetrics(string name)
    {
        var node = _store.Get(_nodes, "", name)?.Parse();
        if (node is null || !IsReady(node))
        {
            throw NotFound("nodes", name);
        }

        return NodeObject(node, RunningPodsByNode().GetValueOrDefault(name) ?? [], Stamp());
    }

    private JsonObject PodObject(JsonObject pod, DateTimeOffset stamp)
    {
        var containers = new JsonArray();
        foreach (var (name, cpu, memory) in Usage.ForPod(pod, stamp))
        {
            containers.Add(new JsonObject
            {
                ["name"] = name,
                ["usage"] = new JsonObject { ["cpu"] = Quantities.Nanocores(cpu), ["memory"] = Quantities.Kibibytes(memory) },
            });
        }

        var metadata = new JsonObject
        {
            ["name"] = pod.Name(),
            ["namespace"] = pod.Namespace(),
            ["creationTimestamp"] = SimFormat.Time(_time.GetUtcNow()),
        };
        if (pod.Obj("metadata", "labels") is { } labels)
        {
            metadata["labels"] = labels.DeepClone();
        }

        return new JsonObject
        {
            ["kind"] = "PodMetrics",
            ["apiVersion"] = ApiVersion,
            ["metadata"] = metadata,
            ["timestamp"] = SimFormat.Time(stamp),
            ["window"] = "15s",
            ["containers"] = containers,
        };
    }

    private JsonObject NodeObject(JsonObject node, List<JsonObject> pods, DateTimeOffset stamp)
    {
        var (cpu, memory) = Usage.ForNode(node.Name(), pods, stamp);
        var metadata = new JsonObject { ["name"] = node.Name(), ["creationTimestamp"] = SimFormat.Time(_time.GetUtcNow()) };
        if (node.Obj("metadata", "labels") is { } labels)
        {
            metadata["labels"] = labels.DeepClone();
        }

        return new JsonObject
        {
            ["kind"] = "NodeMetrics",
            ["apiVersion"] = ApiVersion,
            ["metadata"] = metadata,
            ["timestamp"] = SimFormat.Time(stamp),
            ["window"] = "15s",
            ["usage"] = new JsonObject { ["cpu"] = Quantities.Nanocores(cpu), ["memory"] = Quantities.Kibibytes(memory) },
        };
    }

    private Dictionary<string, List<JsonObject>> RunningPodsByNode()
    {
        var byNode = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var stored in _store.All(_pods))
        {
            var pod = stored.Parse();
            if (IsRunning(pod) && pod.Str("spec", "nodeName") is { Length: > 0 } node)
            {
                if (!byNode.TryGetValue(node, out var list))
                {
                    list = [];
                    byNode[node] = list;
                }

                list.Add(pod);
            }
        }

        return byNode;
    }

    /// <summary>The end of the latest completed scrape window: usage is constant within a window.</summary>
    private DateTimeOffset Stamp()
    {
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % Window.Ticks), TimeSpan.Zero);
    }

    private static bool IsRunning(JsonObject pod) =>
        pod.Str("status", "phase") == "Running"
        && (pod.Arr("status", "containerStatuses")?.OfType<JsonObject>().Any(s => s.Obj("state", "running") is not null) ?? false);

    private static bool IsReady(JsonObject node) =>
        node.Arr("status", "conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") ?? false;

    private static JsonObject List(string kind, JsonArray items) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = ApiVersion,
        ["metadata"] = new JsonObject(),
        ["items"] = items,
    };

    private static ApiException NotFound(string plural, string name) =>
        new(404, "NotFound", $"{plural}.metrics.k8s.io \"{name}\" not found",
            new JsonObject { ["name"] = name, ["group"] = "metrics.k8s.io", ["kind"] = plural });
}
