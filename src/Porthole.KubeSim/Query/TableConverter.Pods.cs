using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>The pod printer: readiness, the kubectl status reason, restarts and the wide columns.</content>
public static partial class TableConverter
{
    private static readonly Printer PodPrinter = new(
        [
            NameColumn,
            new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", "The aggregate status of the containers in this pod."),
            new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            AgeColumn,
            new("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
            new("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename", 1),
            new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.", 1),
            new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates", 1),
        ],
        PodRow);

    private static PrintedRow PodRow(JsonObject pod, DateTimeOffset now)
    {
        var initSpecs = pod.Arr("spec", "initContainers")?.OfType<JsonObject>().ToList() ?? [];
        var totalContainers = pod.Arr("spec", "containers")?.Count ?? 0;
        var restartable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var init in initSpecs)
        {
            if (init.Str("restartPolicy") == "Always")
            {
                restartable.Add(init.Str("name") ?? "");
                totalContainers++;
            }
        }

        var phase = pod.Str("status", "phase") ?? "";
        var reason = string.IsNullOrEmpty(pod.Str("status", "reason")) ? phase : pod.Str("status", "reason")!;
        var conditions = pod.Arr("status", "conditions")?.OfType<JsonObject>().ToList() ?? [];
        if (conditions.Any(c => c.Str("type") == "PodScheduled" && c.Str("reason") == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        var restarts = 0L;
        var sidecarRestarts = 0L;
        var ready = 0;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastSidecarRestart = null;
        var initializing = false;
        var initStatuses = pod.Arr("status", "initContainerStatuses")?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var status = initStatuses[i];
            var isSidecar = restartable.Contains(status.Str("name") ?? "");
            restarts += status.Long("restartCount") ?? 0;
            var finished = FinishedAt(status);
            lastRestart = Later(lastRestart, finished);
            if (isSidecar)
            {
                sidecarRestarts += status.Long("restartCount") ?? 0;
                lastSidecarRestart = Later(lastSidecarRestart, finished);
            }

            var terminated = status.Obj("state", "terminated");
            var waitingReason = status.Str("state", "waiting", "reason");
            if (terminated is not null && (terminated.Long("exitCode") ?? 0) == 0)
            {
                continue;
            }

            if (isSidecar && status.Bool("started") == true)
            {
                if (status.Bool("ready") == true)
                {
                    ready++;
                }

                continue;
            }

            if (terminated is not null)
            {
                reason = string.IsNullOrEmpty(terminated.Str("reason"))
                    ? (terminated.Long("signal") ?? 0) != 0
                        ? Inv($"Init:Signal:{terminated.Long("signal")}")
                        : Inv($"Init:ExitCode:{terminated.Long("exitCode") ?? 0}")
                    : "Init:" + terminated.Str("reason");
            }
            else if (!string.IsNullOrEmpty(waitingReason) && waitingReason != "PodInitializing")
            {
                reason = "Init:" + waitingReason;
            }
            else
            {
                reason = Inv($"Init:{i}/{initSpecs.Count}");
            }

            initializing = true;
            break;
        }

        if (!initializing || conditions.Any(c => c.Str("type") == "Initialized" && c.Str("status") == "True"))
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = pod.Arr("status", "containerStatuses")?.OfType<JsonObject>().ToList() ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var status = statuses[i];
                restarts += status.Long("restartCount") ?? 0;
                lastRestart = Later(lastRestart, FinishedAt(status));
                var waitingReason = status.Str("state", "waiting", "reason");
                var terminated = status.Obj("state", "terminated");
                if (!string.IsNullOrEmpty(waitingReason))
                {
                    reason = waitingReason;
                }
                else if (terminated is not null && !string.IsNullOrEmpty(terminated.Str("reason")))
                {
                    reason = terminated.Str("reason")!;
                }
                else if (terminated is not null)
                {
                    reason = (terminated.Long("signal") ?? 0) != 0
                        ? Inv($"Signal:{terminated.Long("signal")}")
                        : Inv($"ExitCode:{terminated.Long("exitCode") ?? 0}");
                }
                else if (status.Bool("ready") == true && status.Obj("state", "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = conditions.Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") ? "Running" : "NotReady";
            }
        }

        var deleting = pod.Str("metadata", "deletionTimestamp") is not null;
        if (deleting && pod.Str("status", "reason") == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (deleting && phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartsText = restarts.ToString(CultureInfo.InvariantCulture);
        if (restarts != 0 && lastRestart is { } last)
        {
            restartsText = Inv($"{restarts} ({HumanDuration.Format(now - last)} ago)");
        }

        var podIps = pod.Arr("status", "podIPs");
        // v1 -> internal conversion fills podIPs from a lone podIP, so fall back to it.
        var podIp = podIps is { Count: > 0 } ? podIps[0].Str("ip") : pod.Str("status", "podIP");
        var cells = Cells(
            pod.Name(),
            Inv($"{ready}/{totalContainers}"),
            reason,
            restartsText,
            Age(pod, now),
            OrNone(podIp),
            OrNone(pod.Str("spec", "nodeName")),
            OrNone(pod.Str("status", "nominatedNodeName")),
            ReadinessGates(pod, conditions));
        JsonArray? rowConditions = phase switch
        {
            "Succeeded" => Completed("Succeeded", "The pod has completed successfully."),
            "Failed" => Completed("Failed", "The pod failed."),
            _ => null,
        };
        return new PrintedRow(cells, rowConditions);
    }

    private static JsonArray Completed(string reason, string message) =>
        [new JsonObject { ["type"] = "Completed", ["status"] = "True", ["reason"] = reason, ["message"] = message }];

    private static string ReadinessGates(JsonObject pod, List<JsonObject> conditions)
    {
        var gates = pod.Arr("spec", "readinessGates");
        if (gates is null || gates.Count == 0)
        {
            return "<none>";
        }

        var met = gates.Count(g =>
            conditions.FirstOrDefault(c => c.Str("type") == g.Str("conditionType")) is { } c && c.Str("status") == "True");
        return Inv($"{met}/{gates.Count}");
    }

    private static DateTimeOffset? FinishedAt(JsonObject status) =>
        HumanDuration.TryParse(status.Str("lastState", "terminated", "finishedAt"), out var t) ? t : null;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);

    internal static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
