using System.Globalization;
using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Kubelet;

/// <summary>
/// Builds the simulated cluster's Node objects (kubesim-node-1..N) shaped like the nodes of a
/// kind cluster: labels, capacity, kubelet conditions, addresses and nodeInfo. The lead stores them.
/// </summary>
public static class SimNodes
{
    public const string NamePrefix = "kubesim-node-";
    public const string KubeletVersion = "v1.31.0";
    public const string ContainerRuntime = "containerd://1.7.18";
    public const string ControlPlaneLabel = "node-role.kubernetes.io/control-plane";

    /// <summary>Node name for a 1-based index.</summary>
    public static string Name(int index) => NamePrefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The node's InternalIP: 172.18.0.(index+1), as kind hands out.</summary>
    public static string InternalIp(int index) => $"172.18.0.{(index + 1).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>1-based index of a simulated node name, or 0 when it is not one.</summary>
    public static int IndexOf(string nodeName) =>
        nodeName.StartsWith(NamePrefix, StringComparison.Ordinal)
        && int.TryParse(nodeName.AsSpan(NamePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i > 0 ? i : 0;

    public static IReadOnlyList<JsonObject> Create(int count = 3, DateTimeOffset now = default)
    {
        var nodes = new List<JsonObject>(count);
        for (var i = 1; i <= count; i++)
        {
            nodes.Add(Node(i, now));
        }

        return nodes;
    }

    private static JsonObject Node(int index, DateTimeOffset now)
    {
        var name = Name(index);
        var created = SimFormat.Time(now);
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
        };
        if (index == 1)
        {
            labels[ControlPlaneLabel] = "";
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
        }

        var resources = new JsonObject
        {
            ["cpu"] = "8",
            ["ephemeral-storage"] = "102350672Ki",
            ["hugepages-1Gi"] = "0",
            ["hugepages-2Mi"] = "0",
            ["memory"] = "16362020Ki",
            ["pods"] = "110",
        };

        return new JsonObject
        {
            ["kind"] = "Node",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["uid"] = SimFormat.Uuid("node", name),
                ["creationTimestamp"] = created,
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["kubeadm.alpha.kubernetes.io/cri-socket"] = "unix:///run/containerd/containerd.sock",
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = new JsonObject
            {
                ["podCIDR"] = $"10.244.{(index - 1).ToString(CultureInfo.InvariantCulture)}.0/24",
                ["podCIDRs"] = new JsonArray($"10.244.{(index - 1).ToString(CultureInfo.InvariantCulture)}.0/24"),
                ["providerID"] = $"kind://docker/kubesim/{name}",
            },
            ["status"] = new JsonObject
            {
                ["capacity"] = resources.DeepClone(),
                ["allocatable"] = resources,
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", created),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", created),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", created),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", created)),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = InternalIp(index) },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = SimFormat.Hex("machine", name)[..32],
                    ["systemUUID"] = SimFormat.Uuid("system", name),
                    ["bootID"] = SimFormat.Uuid("boot", name),
                    ["kernelVersion"] = "6.8.0-1015-gcp",
                    ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
                    ["containerRuntimeVersion"] = ContainerRuntime,
                    ["kubeletVersion"] = KubeletVersion,
                    ["kubeProxyVersion"] = KubeletVersion,
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
                ["images"] = new JsonArray(
                    Image("registry.k8s.io/pause", "3.10", 320368),
                    Image("registry.k8s.io/kube-proxy", KubeletVersion, 92783513)),
            },
        };
    }

    private static JsonObject Condition(string type, string status, string reason, string message, string at) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = at,
        ["lastTransitionTime"] = at,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static JsonObject Image(string repo, string tag, long size) => new()
    {
        ["names"] = new JsonArray($"{repo}@sha256:{SimFormat.Hex("image", repo)}", $"{repo}:{tag}"),
        ["sizeBytes"] = size,
    };
}
