using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>Printers for services, nodes, events and namespaces.</content>
public static partial class TableConverter
{
    private static readonly Printer ServicePrinter = new(
        [
            NameColumn,
            new("Type", "string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
            new("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail."),
            new("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system."),
            new("Port(s)", "string", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
            AgeColumn,
            new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/", 1),
        ],
        (svc, now) =>
        {
            var clusterIps = svc.Arr("spec", "clusterIPs");
            var clusterIp = clusterIps is { Count: > 0 } ? clusterIps[0].Str() : svc.Str("spec", "clusterIP");
            var ports = string.Join(",", (svc.Arr("spec", "ports") ?? []).OfType<JsonObject>().Select(p =>
            {
                var protocol = p.Str("protocol") ?? "TCP";
                var nodePort = p.Long("nodePort") ?? 0;
                return nodePort > 0 ? Inv($"{p.Long("port") ?? 0}:{nodePort}/{protocol}") : Inv($"{p.Long("port") ?? 0}/{protocol}");
            }));
            return new PrintedRow(Cells(
                svc.Name(),
                svc.Str("spec", "type") ?? "",
                OrNone(clusterIp),
                ServiceExternalIp(svc),
                OrNone(ports),
                Age(svc, now),
                LabelSelector.FormatLabels(svc.StringMap("spec", "selector"))));
        });

    private static string ServiceExternalIp(JsonObject svc)
    {
        var external = (svc.Arr("spec", "externalIPs") ?? []).Select(n => n.Str() ?? "").ToList();
        switch (svc.Str("spec", "type"))
        {
            case "ClusterIP" or "NodePort":
                return external.Count > 0 ? string.Join(",", external) : "<none>";
            case "LoadBalancer":
                var ingress = (svc.Arr("status", "loadBalancer", "ingress") ?? []).OfType<JsonObject>()
                    .SelectMany(i => new[] { i.Str("ip"), i.Str("hostname") })
                    .Where(s => !string.IsNullOrEmpty(s))
                    .Select(s => s!)
                    .ToList();
                var all = ingress.Concat(external).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return svc.Str("spec", "externalName") ?? "";
            default:
                return "<unknown>";
        }
    }

    private static readonly Printer NodePrinter = new(
        [
            NameColumn,
            new("Status", "string", "The status of the node"),
            new("Roles", "string", "The roles of the node"),
            AgeColumn,
            new("Version", "string", "Kubelet Version reported by the node."),
            new("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).", 1),
            new("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).", 1),
            new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
            new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
            new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
        ],
        (node, now) =>
        {
            var status = new List<string>();
            var readyCondition = (node.Arr("status", "conditions") ?? []).OfType<JsonObject>().LastOrDefault(c => c.Str("type") == "Ready");
            if (readyCondition is not null)
            {
                status.Add(readyCondition.Str("status") == "True" ? "Ready" : "NotReady");
            }
            else
            {
                status.Add("Unknown");
            }

            if (node.Bool("spec", "unschedulable") == true)
            {
                status.Add("SchedulingDisabled");
            }

            var info = node.Obj("status", "nodeInfo");
            return new PrintedRow(Cells(
                node.Name(),
                string.Join(",", status),
                OrNone(string.Join(",", NodeRoles(node))),
                Age(node, now),
                info.Str("kubeletVersion") ?? "",
                NodeAddress(node, "InternalIP"),
                NodeAddress(node, "ExternalIP"),
                Unknown(info.Str("osImage")),
                Unknown(info.Str("kernelVersion")),
                Unknown(info.Str("containerRuntimeVersion"))));
        });

    /// <summary>findNodeRoles: node-role.kubernetes.io/&lt;role&gt; labels and kubernetes.io/role, sorted and unique.</summary>
    private static SortedSet<string> NodeRoles(JsonObject node)
    {
        const string prefix = "node-role.kubernetes.io/";
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Labels())
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length)
            {
                roles.Add(key[prefix.Length..]);
            }
            else if (key == "kubernetes.io/role" && value.Length > 0)
            {
                roles.Add(value);
            }
        }

        return roles;
    }

    private static string NodeAddress(JsonObject node, string type) =>
        (node.Arr("status", "addresses") ?? []).OfType<JsonObject>().FirstOrDefault(a => a.Str("type") == type)?.Str("address") ?? "<none>";

    private static string Unknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;

    private static readonly Printer EventPrinter = new(
        [
            new("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
            new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
            new("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            new("Object", "string", "The object that this event is about."),
            new("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.", 1),
            new("Source", "string", "The component reporting this event. Should be a short machine understandable string.", 1),
            new("Message", "string", "A human-readable description of the status of this operation."),
            new("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
            new("Count", "string", "The number of times this event has occurred.", 1),
            new("Name", "string", NameDescription, 1, "name"),
        ],
        EventRow);

    /// <summary>printEvent, reading either a core/v1 Event or an events.k8s.io/v1 one.</summary>
    private static PrintedRow EventRow(JsonObject ev, DateTimeOffset now)
    {
        var firstRaw = ev.Str("firstTimestamp") ?? ev.Str("deprecatedFirstTimestamp");
        var first = HumanDuration.TryParse(firstRaw, out _)
            ? HumanDuration.Since(firstRaw, now)
            : HumanDuration.Since(ev.Str("eventTime"), now);
        var lastRaw = ev.Str("lastTimestamp") ?? ev.Str("deprecatedLastTimestamp");
        var last = HumanDuration.TryParse(lastRaw, out _) ? HumanDuration.Since(lastRaw, now) : first;
        var count = ev.Long("count") ?? ev.Long("deprecatedCount") ?? 0;
        if (ev.Obj("series") is { } series)
        {
            last = HumanDuration.Since(series.Str("lastObservedTime"), now);
            count = series.Long("count") ?? 0;
        }
        else if (count == 0)
        {
            count = 1;
        }

        var target = ev.Obj("involvedObject") ?? ev.Obj("regarding");
        var kind = (target.Str("kind") ?? "").ToLowerInvariant();
        var targetName = target.Str("name") ?? "";
        var source = ev.Obj("source") ?? ev.Obj("deprecatedSource");
        var component = FirstNonEmpty(source.Str("component"), ev.Str("reportingComponent"), ev.Str("reportingController"));
        var instance = FirstNonEmpty(source.Str("host"), ev.Str("reportingInstance"));
        var sourceText = component.Length == 0 ? "" : instance.Length == 0 ? component : $"{component}, {instance}";
        return new PrintedRow(Cells(
            last,
            ev.Str("type") ?? "",
            ev.Str("reason") ?? "",
            targetName.Length > 0 ? $"{kind}/{targetName}" : kind,
            target.Str("fieldPath") ?? "",
            sourceText,
            (ev.Str("message") ?? ev.Str("note") ?? "").Trim(),
            first,
            count,
            ev.Name()));
    }

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";

    private static readonly Printer NamespacePrinter = new(
        [
            NameColumn,
            new("Status", "string", "The status of the namespace"),
            AgeColumn,
        ],
        (ns, now) => new PrintedRow(Cells(ns.Name(), ns.Str("status", "phase") ?? "", Age(ns, now))));
}
