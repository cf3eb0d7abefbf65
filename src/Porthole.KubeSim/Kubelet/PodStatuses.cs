using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Kubelet;

/// <summary>Writes pod status the way the scheduler and kubelet do at each step of a pod's life.</summary>
internal static partial class PodStatuses
{
    private static readonly string[] ConditionOrder =
        ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled", "DisruptionTarget"];

    /// <summary>Unschedulable: Pending with PodScheduled=False. False when nothing changed.</summary>
    public static bool Unschedulable(JsonObject pod, string message, DateTimeOffset now)
    {
        var status = Status(pod);
        var current = Conditions(status).FirstOrDefault(c => c.Str("type") == "PodScheduled");
        if (current.Str("status") == "False" && current.Str("message") == message)
        {
            return false;
        }

        status["phase"] = "Pending";
        SetCondition(status, "PodScheduled", "False", now, "Unschedulable", message);
        status["qosClass"] ??= SimContainers.QosClass(pod);
        return true;
    }

    /// <summary>Bound and accepted by the kubelet: containers waiting in ContainerCreating.</summary>
    public static void Pending(JsonObject pod, string hostIp, DateTimeOffset now, DateTimeOffset? scheduledAt)
    {
        var status = Status(pod);
        var inits = Names(pod, "initContainers");
        var mains = Names(pod, "containers");
        status["phase"] = "Pending";
        if (scheduledAt is { } at)
        {
            SetCondition(status, "PodScheduled", "True", at);
        }

        SetCondition(status, "PodReadyToStartContainers", "False", now);
        if (inits.Count > 0)
        {
            SetCondition(status, "Initialized", "False", now, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', inits)}]");
        }
        else
        {
            SetCondition(status, "Initialized", "True", now);
        }

        var unready = $"containers with unready status: [{string.Join(' ', mains)}]";
        SetCondition(status, "Ready", "False", now, "ContainersNotReady", unready);
        SetCondition(status, "ContainersReady", "False", now, "ContainersNotReady", unready);
        SetHostIp(status, hostIp);
        status["startTime"] = SimFormat.Time(now);
        status["qosClass"] ??= SimContainers.QosClass(pod);
        var waitingReason = inits.Count > 0 ? "PodInitializing" : "ContainerCreating";
        if (inits.Count > 0)
        {
            status["initContainerStatuses"] = Waiting(pod, "initContainers", "ContainerCreating");
        }

        status["containerStatuses"] = Waiting(pod, "containers", waitingReason);
    }

    /// <summary>Every container started (init containers completed): Running and Ready.</summary>
    public static void Running(JsonObject pod, string hostIp, string podIp, DateTimeOffset now)
    {
        var status = Status(pod);
        var uid = pod.Uid();
        var start = SimFormat.ParseTime(status.Str("startTime")) ?? now;
        status["phase"] = "Running";
        foreach (var type in new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" })
        {
            SetCondition(status, type, "True", now);
        }

        SetHostIp(status, hostIp);
        status["podIP"] = podIp;
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        status["startTime"] = SimFormat.Time(start);
        status["qosClass"] ??= SimContainers.QosClass(pod);
        var inits = SimContainers.Containers(pod, "initContainers").ToList();
        if (inits.Count > 0)
        {
            status["initContainerStatuses"] = new JsonArray([.. inits.Select(c =>
            {
                var s = ContainerStatus(c, uid, ready: true, started: false);
                s["state"] = new JsonObject
                {
                    ["terminated"] = new JsonObject
                    {
                        ["containerID"] = s.Str("containerID"),
                        ["exitCode"] = 0,
                        ["finishedAt"] = SimFormat.Time(now),
                        ["reason"] = "Completed",
                        ["startedAt"] = SimFormat.Time(start),
                    },
                };
                return (JsonNode)s;
            })]);
        }

        status["containerStatuses"] = new JsonArray([.. SimContainers.Containers(pod, "containers").Select(c =>
        {
            var s = ContainerStatus(c, uid, ready: true, started: true);
            s["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = SimFormat.Time(now) } };
            return (JsonNode)s;
        })]);
    }

    /// <summary>Containers stopped for a graceful deletion: terminated, not ready.</summary>
    public static void Terminated(JsonObject pod, DateTimeOffset now)
    {
        var status = Status(pod);
        var unready = $"containers with unready status: [{string.Join(' ', Names(pod, "containers"))}]";
        SetCondition(status, "Ready", "False", now, "ContainersNotReady", unready);
        SetCondition(status, "ContainersReady", "False", now, "ContainersNotReady", unready);
        foreach (var s in status.Arr("containerStatuses")?.OfType<JsonObject>() ?? [])
        {
            var startedAt = s.Str("state", "running", "startedAt");
            s["ready"] = false;
            s["started"] = false;
            s["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["containerID"] = s.Str("containerID"),
                    ["exitCode"] = 0,
                    ["finishedAt"] = SimFormat.Time(now),
                    ["reason"] = "Completed",
                    ["startedAt"] = startedAt ?? SimFormat.Time(now),
                },
            };
        }
    }

    private static JsonObject ContainerStatus(JsonObject container, string podUid, bool ready, bool started)
    {
        var name = container.Str("name") ?? "";
        var image = container.Str("image") ?? "";
        return new JsonObject
        {
            ["containerID"] = SimContainers.ContainerId(podUid, name, 0),
            ["image"] = SimContainers.FullImage(image),
            ["imageID"] = SimContainers.ImageId(image),
            ["lastState"] = new JsonObject(),
            ["name"] = name,
            ["ready"] = ready,
            ["restartCount"] = 0,
            ["started"] = started,
        };
    }

    private static JsonArray Waiting(JsonObject pod, string field, string reason) =>
        new([.. SimContainers.Containers(pod, field).Select(c => (JsonNode)new JsonObject
        {
            ["image"] = c.Str("image") ?? "",
            ["imageID"] = "",
            ["lastState"] = new JsonObject(),
            ["name"] = c.Str("name") ?? "",
            ["ready"] = false,
            ["restartCount"] = 0,
            ["started"] = false,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason } },
        })]);

    private static List<string> Names(JsonObject pod, string field) =>
        [.. SimContainers.Containers(pod, field).Select(c => c.Str("name") ?? "")];

    private static void SetHostIp(JsonObject status, string hostIp)
    {
        if (hostIp.Length == 0)
        {
            return;
        }

        status["hostIP"] = hostIp;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp });
    }

    private static JsonObject Status(JsonObject pod)
    {
        if (pod["status"] is JsonObject s)
        {
            return s;
        }

        var created = new JsonObject();
        pod["status"] = created;
        return created;
    }

    private static IEnumerable<JsonObject> Conditions(JsonObject status) =>
        status.Arr("conditions")?.OfType<JsonObject>() ?? [];

    /// <summary>Sets a condition, keeping lastTransitionTime when its status did not change, in kubelet order.</summary>
    private static void SetCondition(JsonObject status, string type, string value, DateTimeOffset now, string? reason = null, string? message = null)
    {
        var list = Conditions(status).Select(c => c.DeepClone().AsObject()).ToList();
        var existing = list.FirstOrDefault(c => c.Str("type") == type);
        var transition = existing is not null && existing.Str("status") == value
            ? existing["lastTransitionTime"]?.DeepClone() ?? SimFormat.Time(now)
            : SimFormat.Time(now);
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = transition,
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        if (message is not null)
        {
            condition["message"] = message;
        }

        list.RemoveAll(c => c.Str("type") == type);
        list.Add(condition);
        var ordered = list.OrderBy(c => Array.IndexOf(ConditionOrder, c.Str("type")) is var i && i < 0 ? int.MaxValue : i);
        status["conditions"] = new JsonArray([.. ordered]);
    }
}
