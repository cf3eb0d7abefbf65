using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    /// <summary>calculateStatus: counts summed over the ReplicaSets, and the Available condition.</summary>
    private JsonObject CalculateStatus(JsonObject d, List<JsonObject> all, JsonObject? newRs)
    {
        var available = all.Sum(Available);
        var status = new JsonObject
        {
            ["observedGeneration"] = d.Long("metadata", "generation") ?? 1,
            ["replicas"] = all.Sum(rs => WorkloadJson.Int(rs, "status", "replicas")),
            ["updatedReplicas"] = newRs is null ? 0 : WorkloadJson.Int(newRs, "status", "replicas"),
            ["readyReplicas"] = all.Sum(rs => WorkloadJson.Int(rs, "status", "readyReplicas")),
            ["availableReplicas"] = available,
            ["unavailableReplicas"] = Math.Max(0, all.Sum(Replicas) - available),
        };
        foreach (var key in status.Select(p => p.Key).ToList())
        {
            if (status.Long(key) == 0)
            {
                status.Remove(key);
            }
        }

        if (d.Arr("status", "conditions") is { } conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }

        if (d.Long("status", "collisionCount") is { } collisions)
        {
            status["collisionCount"] = collisions;
        }

        var now = _time.GetUtcNow();
        if (available >= Replicas(d) - MaxUnavailable(d))
        {
            WorkloadJson.SetCondition(status, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now, true);
        }
        else
        {
            WorkloadJson.SetCondition(status, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, true);
        }

        return status;
    }

    /// <summary>DeploymentComplete: every replica updated and available, and the spec observed.</summary>
    private static bool IsComplete(JsonObject d, JsonObject status)
    {
        var replicas = Replicas(d);
        return WorkloadJson.Int(status, "updatedReplicas") == replicas && WorkloadJson.Int(status, "replicas") == replicas
            && WorkloadJson.Int(status, "availableReplicas") == replicas
            && (status.Long("observedGeneration") ?? 0) >= (d.Long("metadata", "generation") ?? 1);
    }

    /// <summary>syncDeploymentStatus: the counts and Available, Progressing left as it is.</summary>
    private void SyncDeploymentStatus(JsonObject d, List<JsonObject> all, JsonObject? newRs) =>
        WriteStatus(_deployments, d, CalculateStatus(d, all, newRs));

    /// <summary>syncRolloutStatus: the counts plus Progressing (NewReplicaSetAvailable once complete, ReplicaSetUpdated on progress, ProgressDeadlineExceeded when stalled past progressDeadlineSeconds).</summary>
    private void SyncRolloutStatus(JsonObject d, List<JsonObject> all, JsonObject? newRs)
    {
        var status = CalculateStatus(d, all, newRs);
        var current = status.Arr("conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Progressing");
        var alreadyComplete = WorkloadJson.Int(status, "replicas") == WorkloadJson.Int(status, "updatedReplicas")
            && current?.Str("reason") == "NewReplicaSetAvailable";
        var now = _time.GetUtcNow();
        if (d.Bool("spec", "paused") != true && !alreadyComplete)
        {
            var subject = newRs is null ? $"Deployment \"{d.Name()}\"" : $"ReplicaSet \"{newRs.Name()}\"";
            if (IsComplete(d, status))
            {
                WorkloadJson.SetCondition(status, "Progressing", "True", "NewReplicaSetAvailable", $"{subject} has successfully progressed.", now, true);
            }
            else if (MadeProgress(d.Obj("status"), status))
            {
                WorkloadJson.SetCondition(status, "Progressing", "True", "ReplicaSetUpdated", $"{subject} is progressing.", now, true, refresh: true);
            }
            else if (current?.Str("status") == "True" && d.Long("spec", "progressDeadlineSeconds") is { } seconds
                && SimFormat.ParseTime(current.Str("lastUpdateTime")) is { } lastUpdate)
            {
                var deadline = lastUpdate.AddSeconds(seconds);
                if (now >= deadline)
                {
                    WorkloadJson.SetCondition(status, "Progressing", "False", "ProgressDeadlineExceeded", $"{subject} has timed out progressing.", now, true);
                }
                else
                {
                    Requeue(Kind.Deployment, d.Namespace(), d.Name(), deadline);
                }
            }
        }

        WriteStatus(_deployments, d, status);
    }

    /// <summary>DeploymentProgressing: more updated, ready or available replicas, or fewer old ones.</summary>
    private static bool MadeProgress(JsonObject? before, JsonObject after)
    {
        int Get(JsonObject? s, string key) => WorkloadJson.Int(s, key);
        return Get(after, "updatedReplicas") > Get(before, "updatedReplicas")
            || Get(after, "replicas") - Get(after, "updatedReplicas") < Get(before, "replicas") - Get(before, "updatedReplicas")
            || Get(after, "readyReplicas") > Get(before, "readyReplicas")
            || Get(after, "availableReplicas") > Get(before, "availableReplicas");
    }
}
