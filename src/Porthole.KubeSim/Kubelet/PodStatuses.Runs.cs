using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Kubelet;

internal static partial class PodStatuses
{
    /// <summary>
    /// Writes the container statuses of a pod whose containers crash, fail to pull or finish,
    /// and the phase and readiness that follow from them.
    /// </summary>
    public static void ApplyRuns(JsonObject pod, IReadOnlyList<ContainerRun> runs, DateTimeOffset now)
    {
        var status = Status(pod);
        var uid = pod.Uid();
        status["containerStatuses"] = new JsonArray([.. runs.Select(r =>
        {
            var s = r.EverStarted
                ? ContainerStatus(new JsonObject { ["name"] = r.Name, ["image"] = r.Image }, uid, ready: r.Running, started: r.Running)
                : new JsonObject
                {
                    ["image"] = r.Image,
                    ["imageID"] = "",
                    ["name"] = r.Name,
                    ["ready"] = false,
                    ["restartCount"] = 0,
                    ["started"] = false,
                };
            if (r.EverStarted)
            {
                var instance = r.Running || r.Done ? r.Restarts : r.Restarts - 1;
                s["containerID"] = SimContainers.ContainerId(uid, r.Name, Math.Max(0, instance));
            }

            s["lastState"] = r.Last.DeepClone();
            s["restartCount"] = r.Restarts;
            s["state"] = r.State.DeepClone();
            return (JsonNode)s;
        })]);

        var terminal = runs.All(r => r.Done);
        status["phase"] = terminal ? (runs.All(r => r.ExitCode == 0) ? "Succeeded" : "Failed")
            : runs.Any(r => !r.EverStarted) ? "Pending" : "Running";
        var unready = runs.Where(r => !r.Running).Select(r => r.Name).ToList();
        if (terminal)
        {
            SetCondition(status, "PodReadyToStartContainers", "False", now);
            SetCondition(status, "Ready", "False", now, "PodCompleted");
            SetCondition(status, "ContainersReady", "False", now, "PodCompleted");
        }
        else if (unready.Count > 0)
        {
            var message = $"containers with unready status: [{string.Join(' ', unready)}]";
            SetCondition(status, "Ready", "False", now, "ContainersNotReady", message);
            SetCondition(status, "ContainersReady", "False", now, "ContainersNotReady", message);
        }
        else
        {
            SetCondition(status, "Ready", "True", now);
            SetCondition(status, "ContainersReady", "True", now);
        }
    }

    /// <summary>A terminated state (or lastState) entry of one container instance.</summary>
    public static JsonObject TerminatedState(string containerId, int exitCode, DateTimeOffset startedAt, DateTimeOffset finishedAt) => new()
    {
        ["terminated"] = new JsonObject
        {
            ["containerID"] = containerId,
            ["exitCode"] = exitCode,
            ["finishedAt"] = SimFormat.Time(finishedAt),
            ["reason"] = exitCode == 0 ? "Completed" : "Error",
            ["startedAt"] = SimFormat.Time(startedAt),
        },
    };
}
