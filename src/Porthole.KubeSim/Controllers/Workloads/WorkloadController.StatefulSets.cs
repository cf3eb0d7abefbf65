using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    private const string StatefulSetComponent = "statefulset-controller";

    /// <summary>
    /// The StatefulSet controller: pods name-0..N-1 with stable identity, created in order and
    /// each waiting for its predecessor to be Running and Ready (OrderedReady) or all at once
    /// (Parallel), removed from the highest ordinal, updated in reverse ordinal order.
    /// </summary>
    private void SyncStatefulSet(string ns, string name)
    {
        if (Selecting(_statefulSets, ns, name) is not ({ } sts, { } selector))
        {
            return;
        }

        var (update, revisions) = SyncRevisions("StatefulSet", sts);
        var currentName = sts.Str("status", "currentRevision");
        var current = revisions.FirstOrDefault(r => r.Name() == currentName) ?? update;
        ClaimPods("StatefulSet", sts, selector, p => Ordinal(sts.Name(), p.Name) >= 0);
        var pods = new SortedDictionary<int, PodFacts>();
        foreach (var pod in _podIndex.InNamespace(ns).Where(p => p.Controller?.Uid == sts.Uid()))
        {
            if (Ordinal(sts.Name(), pod.Name) is var ordinal and >= 0)
            {
                pods[ordinal] = pod;
            }
        }

        if (sts.Str("metadata", "deletionTimestamp") is null)
        {
            ManageStatefulPods(sts, pods, current, update);
        }

        var now = _time.GetUtcNow();
        var minReady = sts.Long("spec", "minReadySeconds") ?? 0;
        var live = pods.Values.Where(p => p.Phase is not "Succeeded" and not "Failed").ToList();
        var settled = live.Where(p => !p.Deleting).ToList();
        var status = new JsonObject
        {
            ["observedGeneration"] = sts.Long("metadata", "generation") ?? 1,
            ["replicas"] = live.Count,
            ["readyReplicas"] = live.Count(p => p.Ready && p.Phase == "Running"),
            ["currentReplicas"] = settled.Count(p => p.Labels.GetValueOrDefault(RevisionHashLabel) == current.Name()),
            ["updatedReplicas"] = settled.Count(p => p.Labels.GetValueOrDefault(RevisionHashLabel) == update.Name()),
            ["currentRevision"] = current.Name(),
            ["updateRevision"] = update.Name(),
            ["collisionCount"] = sts.Long("status", "collisionCount") ?? 0,
            ["availableReplicas"] = live.Count(p => p.Available(minReady, now)),
        };
        if (sts.Str("spec", "updateStrategy", "type") != "OnDelete"
            && WorkloadJson.Int(status, "updatedReplicas") == live.Count && WorkloadJson.Int(status, "readyReplicas") == live.Count)
        {
            status["currentReplicas"] = status["updatedReplicas"]!.DeepClone();
            status["currentRevision"] = update.Name();
        }

        foreach (var key in new[] { "readyReplicas", "currentReplicas", "updatedReplicas" })
        {
            if (WorkloadJson.Int(status, key) == 0)
            {
                status.Remove(key);
            }
        }

        WriteStatus(_statefulSets, sts, status);
        TruncateRevisions(sts, revisions, [.. pods.Values.Select(p => p.Labels.GetValueOrDefault(RevisionHashLabel) ?? ""), current.Name(), update.Name()], "StatefulSet");
        RequeueForAvailability(Kind.StatefulSet, sts, live, minReady, now);
    }

    private void ManageStatefulPods(JsonObject sts, SortedDictionary<int, PodFacts> pods, JsonObject current, JsonObject update)
    {
        var replicas = Replicas(sts);
        var parallel = sts.Str("spec", "podManagementPolicy") == "Parallel";
        var rolling = sts.Str("spec", "updateStrategy", "type") != "OnDelete";
        var partition = rolling ? WorkloadJson.Int(sts, "spec", "updateStrategy", "rollingUpdate", "partition") : 0;
        var now = _time.GetUtcNow();
        var healthy = true;
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (!pods.TryGetValue(ordinal, out var pod))
            {
                var revision = ordinal < partition ? current : update;
                pods[ordinal] = CreateStatefulPod(sts, ordinal, revision);
                _events.Normal(sts, StatefulSetComponent, "SuccessfulCreate", $"create Pod {pods[ordinal].Name} in StatefulSet {sts.Name()} successful", now);
                healthy = false;
            }
            else if (pod.Phase is "Failed" or "Succeeded")
            {
                DeleteStatefulPod(sts, pod, now);
                healthy = false;
            }
            else if (pod.Deleting || !pod.Ready || pod.Phase != "Running")
            {
                healthy = false;
            }

            if (!healthy && !parallel)
            {
                return;
            }
        }

        var condemned = pods.Where(p => p.Key >= replicas).OrderByDescending(p => p.Key).Select(p => p.Value).ToList();
        foreach (var pod in condemned)
        {
            if (pod.Deleting)
            {
                if (!parallel)
                {
                    return;
                }

                continue;
            }

            DeleteStatefulPod(sts, pod, now);
            if (!parallel)
            {
                return;
            }
        }

        if (!rolling || !healthy || condemned.Count > 0)
        {
            return;
        }

        for (var ordinal = replicas - 1; ordinal >= partition; ordinal--)
        {
            if (pods.TryGetValue(ordinal, out var pod) && pod.Labels.GetValueOrDefault(RevisionHashLabel) != update.Name())
            {
                DeleteStatefulPod(sts, pod, now);
                return;
            }
        }
    }

    private PodFacts CreateStatefulPod(JsonObject sts, int ordinal, JsonObject revision)
    {
        var template = TemplateOf(revision);
        var podName = $"{sts.Name()}-{ordinal.ToString(CultureInfo.InvariantCulture)}";
        var labels = WorkloadJson.Copy(template.Obj("metadata", "labels").StringMap());
        labels[RevisionHashLabel] = revision.Name();
        labels["statefulset.kubernetes.io/pod-name"] = podName;
        labels["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture);
        var service = sts.Str("spec", "serviceName");
        return CreatePod("StatefulSet", sts, template, podName, labels, spec =>
        {
            spec["hostname"] = podName;
            if (!string.IsNullOrEmpty(service))
            {
                spec["subdomain"] = service;
            }
        });
    }

    private void DeleteStatefulPod(JsonObject sts, PodFacts pod, DateTimeOffset now)
    {
        DeletePod(pod);
        _events.Normal(sts, StatefulSetComponent, "SuccessfulDelete", $"delete Pod {pod.Name} in StatefulSet {sts.Name()} successful", now);
    }

    /// <summary>The ordinal of a pod named parent-N, or -1 when it is not one of the parent's.</summary>
    private static int Ordinal(string parent, string pod) =>
        pod.Length > parent.Length + 1 && pod.StartsWith(parent + "-", StringComparison.Ordinal)
            && int.TryParse(pod.AsSpan(parent.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
