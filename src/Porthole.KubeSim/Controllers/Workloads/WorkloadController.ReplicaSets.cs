using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    private const string ReplicaSetComponent = "replicaset-controller";

    /// <summary>syncReplicaSet: claim pods, create or delete the difference, write status.</summary>
    private void SyncReplicaSet(string ns, string name)
    {
        if (Selecting(_replicaSets, ns, name) is not ({ } rs, { } selector))
        {
            return;
        }

        var owned = ClaimPods("ReplicaSet", rs, selector);
        var now = _time.GetUtcNow();
        if (rs.Str("metadata", "deletionTimestamp") is null)
        {
            var want = WorkloadJson.Int(rs, "spec", "replicas");
            var template = rs.Obj("spec", "template") ?? new JsonObject();
            var labels = template.Obj("metadata", "labels").StringMap();
            for (var i = owned.Count; i < want; i++)
            {
                var pod = CreatePod("ReplicaSet", rs, template, null, labels);
                owned.Add(pod);
                _events.Normal(rs, ReplicaSetComponent, "SuccessfulCreate", $"Created pod: {pod.Name}", now);
            }

            if (owned.Count > want)
            {
                foreach (var pod in RankForDeletion(owned).Take(owned.Count - want).ToList())
                {
                    DeletePod(pod);
                    owned.Remove(pod);
                    _events.Normal(rs, ReplicaSetComponent, "SuccessfulDelete", $"Deleted pod: {pod.Name}", now);
                }
            }
        }

        var minReady = rs.Long("spec", "minReadySeconds") ?? 0;
        var templateLabels = rs.Obj("spec", "template", "metadata", "labels").StringMap();
        var status = new JsonObject
        {
            ["replicas"] = owned.Count,
            ["fullyLabeledReplicas"] = owned.Count(p => templateLabels.All(l => p.Labels.TryGetValue(l.Key, out var v) && v == l.Value)),
            ["readyReplicas"] = owned.Count(p => p.Ready),
            ["availableReplicas"] = owned.Count(p => p.Available(minReady, now)),
            ["observedGeneration"] = rs.Long("metadata", "generation") ?? 1,
        };
        foreach (var zero in new[] { "readyReplicas", "availableReplicas", "fullyLabeledReplicas" })
        {
            if (WorkloadJson.Int(status, zero) == 0)
            {
                status.Remove(zero);
            }
        }

        WriteStatus(_replicaSets, rs, status);
        RequeueForAvailability(Kind.ReplicaSet, rs, owned, minReady, now);
    }

    /// <summary>When pods are ready but not yet available for minReadySeconds, sync again once they are.</summary>
    private void RequeueForAvailability(Kind kind, JsonObject owner, IEnumerable<PodFacts> pods, long minReady, DateTimeOffset now)
    {
        if (minReady <= 0)
        {
            return;
        }

        var next = pods.Where(p => p.ReadySince is not null && !p.Available(minReady, now))
            .Select(p => p.ReadySince!.Value.AddSeconds(minReady)).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (next != DateTimeOffset.MaxValue)
        {
            Requeue(kind, owner.Namespace(), owner.Name(), next);
        }
    }

    /// <summary>
    /// The order the ReplicaSet controller deletes pods in (ActivePodsWithRanks): unscheduled,
    /// then pending, then not ready, then on crowded nodes, then ready most recently, then most
    /// restarted, then newest.
    /// </summary>
    private static IEnumerable<PodFacts> RankForDeletion(List<PodFacts> pods)
    {
        var perNode = pods.Where(p => p.NodeName.Length > 0).GroupBy(p => p.NodeName).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return pods
            .OrderBy(p => p.NodeName.Length == 0 ? 0 : 1)
            .ThenBy(p => p.Phase switch { "Pending" => 0, "Unknown" => 1, "Running" => 2, _ => 0 })
            .ThenBy(p => p.Ready ? 1 : 0)
            .ThenByDescending(p => perNode.GetValueOrDefault(p.NodeName))
            .ThenByDescending(p => p.ReadySince ?? DateTimeOffset.MaxValue)
            .ThenByDescending(p => p.Restarts)
            .ThenByDescending(p => p.Created);
    }
}
