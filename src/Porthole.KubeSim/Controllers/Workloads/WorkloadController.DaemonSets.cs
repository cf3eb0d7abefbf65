using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    private const string DaemonSetComponent = "daemonset-controller";

    /// <summary>Tolerations every daemon pod gets (AddOrUpdateDaemonPodTolerations), with their effects.</summary>
    private static readonly (string Key, string Effect)[] DaemonTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    /// <summary>
    /// The DaemonSet controller: one pod per node that fits (nodeSelector, required node affinity,
    /// tolerated taints; cordoned nodes included), pinned to it; extra and misplaced pods deleted;
    /// RollingUpdate replaces old-revision pods while at most maxUnavailable are unavailable.
    /// </summary>
    private void SyncDaemonSet(string ns, string name)
    {
        if (Selecting(_daemonSets, ns, name) is not ({ } ds, { } selector))
        {
            return;
        }

        var (update, revisions) = SyncRevisions("DaemonSet", ds);
        var hash = HashOf(update, "DaemonSet");
        var owned = ClaimPods("DaemonSet", ds, selector);
        var nodes = _store.All(_nodes).Select(n => n.Parse()).ToList();
        var template = TemplateOf(update);
        var wanted = nodes.Where(n => ShouldRun(n, template)).Select(n => n.Name()).ToHashSet(StringComparer.Ordinal);
        var byNode = owned.GroupBy(p => p.NodeName).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Created).ToList(), StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var minReady = ds.Long("spec", "minReadySeconds") ?? 0;
        if (ds.Str("metadata", "deletionTimestamp") is null)
        {
            foreach (var (node, pods) in byNode)
            {
                var keep = wanted.Contains(node) ? pods.FirstOrDefault(p => p.Phase != "Failed") : null;
                foreach (var pod in pods.Where(p => p != keep))
                {
                    DeleteDaemonPod(ds, pod, now);
                }

                pods.RemoveAll(p => p != keep);
            }

            foreach (var node in wanted.Where(n => !byNode.TryGetValue(n, out var pods) || pods.Count == 0))
            {
                byNode[node] = [CreateDaemonPod(ds, template, node, hash)];
                _events.Normal(ds, DaemonSetComponent, "SuccessfulCreate", $"Created pod: {byNode[node][0].Name}", now);
            }

            RollDaemonPods(ds, wanted, byNode, hash, minReady, now);
        }

        var scheduled = wanted.Where(n => byNode.TryGetValue(n, out var pods) && pods.Count > 0).Select(n => byNode[n][0]).ToList();
        var available = scheduled.Count(p => p.Available(minReady, now));
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = scheduled.Count,
            ["numberMisscheduled"] = byNode.Count(p => !wanted.Contains(p.Key) && p.Value.Count > 0),
            ["desiredNumberScheduled"] = wanted.Count,
            ["numberReady"] = scheduled.Count(p => p.Ready),
            ["observedGeneration"] = ds.Long("metadata", "generation") ?? 1,
            ["updatedNumberScheduled"] = scheduled.Count(p => p.Labels.GetValueOrDefault(RevisionHashLabel) == hash),
            ["numberAvailable"] = available,
            ["numberUnavailable"] = wanted.Count - available,
        };
        foreach (var key in new[] { "updatedNumberScheduled", "numberAvailable", "numberUnavailable" })
        {
            if (WorkloadJson.Int(status, key) == 0)
            {
                status.Remove(key);
            }
        }

        WriteStatus(_daemonSets, ds, status);
        TruncateRevisions(ds, revisions, [.. owned.Select(p => p.Labels.GetValueOrDefault(RevisionHashLabel) ?? ""), hash], "DaemonSet");
        RequeueForAvailability(Kind.DaemonSet, ds, scheduled, minReady, now);
    }

    /// <summary>rollingUpdate: old pods that are unavailable go at once, available ones while the unavailable count allows.</summary>
    private void RollDaemonPods(JsonObject ds, HashSet<string> wanted, Dictionary<string, List<PodFacts>> byNode, string hash, long minReady, DateTimeOffset now)
    {
        if (ds.Str("spec", "updateStrategy", "type") == "OnDelete")
        {
            return;
        }

        var maxUnavailable = Math.Max(1, WorkloadJson.Scaled(ds.At("spec", "updateStrategy", "rollingUpdate", "maxUnavailable"), wanted.Count, true, 1));
        var unavailable = wanted.Count(n => !byNode.TryGetValue(n, out var pods) || pods.Count == 0 || !pods[0].Available(minReady, now));
        foreach (var node in wanted.Order(StringComparer.Ordinal))
        {
            if (!byNode.TryGetValue(node, out var pods) || pods.Count == 0 || pods[0].Labels.GetValueOrDefault(RevisionHashLabel) == hash)
            {
                continue;
            }

            var pod = pods[0];
            if (pod.Available(minReady, now))
            {
                if (unavailable >= maxUnavailable)
                {
                    continue;
                }

                unavailable++;
            }

            DeleteDaemonPod(ds, pod, now);
            pods.Clear();
        }
    }

    private PodFacts CreateDaemonPod(JsonObject ds, JsonObject template, string node, string hash)
    {
        var labels = WorkloadJson.Copy(template.Obj("metadata", "labels").StringMap());
        labels[RevisionHashLabel] = hash;
        labels["pod-template-generation"] = WorkloadJson.Text(ds.Long("metadata", "generation") ?? 1);
        return CreatePod("DaemonSet", ds, template, null, labels, spec =>
        {
            var term = new JsonObject
            {
                ["matchFields"] = new JsonArray(new JsonObject { ["key"] = "metadata.name", ["operator"] = "In", ["values"] = new JsonArray(node) }),
            };
            spec.Set(["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"], new JsonObject { ["nodeSelectorTerms"] = new JsonArray(term) });
            var tolerations = spec.Arr("tolerations") ?? new JsonArray();
            var extra = spec.Bool("hostNetwork") == true ? [.. DaemonTolerations, ("node.kubernetes.io/network-unavailable", "NoSchedule")] : DaemonTolerations;
            foreach (var (key, effect) in extra)
            {
                if (!tolerations.OfType<JsonObject>().Any(t => t.Str("key") == key && t.Str("effect") == effect))
                {
                    tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = effect });
                }
            }

            spec["tolerations"] = tolerations;
            spec["nodeName"] = node;
        });
    }

    private void DeleteDaemonPod(JsonObject ds, PodFacts pod, DateTimeOffset now)
    {
        DeletePod(pod);
        _events.Normal(ds, DaemonSetComponent, "SuccessfulDelete", $"Deleted pod: {pod.Name}", now);
    }

    /// <summary>NodeShouldRunDaemonPod: nodeSelector, required node affinity and taints the pod (with the daemon tolerations) tolerates.</summary>
    private static bool ShouldRun(JsonObject node, JsonObject template)
    {
        var labels = node.Labels();
        foreach (var (k, v) in template.Obj("spec", "nodeSelector").StringMap())
        {
            if (labels.GetValueOrDefault(k) != v)
            {
                return false;
            }
        }

        var terms = template.Arr("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")?.OfType<JsonObject>().ToList();
        if (terms is { Count: > 0 } && !terms.Any(t => TermMatches(t, node)))
        {
            return false;
        }

        var tolerations = template.Arr("spec", "tolerations")?.OfType<JsonObject>().ToList() ?? [];
        foreach (var taint in node.Arr("spec", "taints")?.OfType<JsonObject>() ?? [])
        {
            var key = taint.Str("key") ?? "";
            var effect = taint.Str("effect") ?? "";
            if (effect is not ("NoSchedule" or "NoExecute") || DaemonTolerations.Any(d => d.Key == key && d.Effect == effect))
            {
                continue;
            }

            if (!tolerations.Any(t => Tolerates(t, key, taint.Str("value") ?? "", effect)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TermMatches(JsonObject term, JsonObject node)
    {
        var labels = node.Labels();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["metadata.name"] = node.Name() };
        return Requirements(term.Arr("matchExpressions"), labels) && Requirements(term.Arr("matchFields"), fields);
    }

    private static bool Requirements(JsonArray? expressions, IReadOnlyDictionary<string, string> values)
    {
        foreach (var e in expressions?.OfType<JsonObject>() ?? [])
        {
            var present = values.TryGetValue(e.Str("key") ?? "", out var value);
            var list = e.Arr("values")?.Select(v => v?.GetValue<string>() ?? "").ToList() ?? [];
            var ok = e.Str("operator") switch
            {
                "In" => present && list.Contains(value!),
                "NotIn" => !present || !list.Contains(value!),
                "Exists" => present,
                "DoesNotExist" => !present,
                "Gt" => present && long.TryParse(value, out var a) && list.Count == 1 && long.TryParse(list[0], out var b) && a > b,
                "Lt" => present && long.TryParse(value, out var c) && list.Count == 1 && long.TryParse(list[0], out var f) && c < f,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Tolerates(JsonObject toleration, string key, string value, string effect)
    {
        var tEffect = toleration.Str("effect") ?? "";
        var tKey = toleration.Str("key") ?? "";
        if ((tEffect.Length > 0 && tEffect != effect) || (tKey.Length > 0 && tKey != key))
        {
            return false;
        }

        return toleration.Str("operator") == "Exists" || (tKey == key && (toleration.Str("value") ?? "") == value);
    }
}
