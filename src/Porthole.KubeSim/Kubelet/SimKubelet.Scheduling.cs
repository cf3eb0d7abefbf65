using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Kubelet;

public sealed partial class SimKubelet
{
    private const string NodeSelectorMismatch = "node(s) didn't match Pod's node affinity/selector";
    private const string NodeUnschedulable = "node(s) were unschedulable";

    /// <summary>Binds a pod to the least-loaded fitting node, or marks it Unschedulable.</summary>
    private void TrySchedule(string key, JsonObject pod, DateTimeOffset now, bool announceFailure)
    {
        var (node, failure) = PickNode(pod);
        if (node is null)
        {
            MarkUnschedulable(key, pod, failure, now, announceFailure);
            return;
        }

        _unschedulable.Remove(key);
        var uid = pod.Uid();
        var host = node.Allocate();
        var tracked = new Tracked(uid, node.Name, host) { Stage = Stage.Starting };
        _tracked[key] = tracked;
        var rv = TryMutate(key, uid, p =>
        {
            if ((p.Str("spec", "nodeName") ?? "").Length > 0 || p.Str("metadata", "deletionTimestamp") is not null)
            {
                return false;
            }

            p.Set(["spec", "nodeName"], node.Name);
            PodStatuses.Pending(p, node.HostIp, now, scheduledAt: now);
            return true;
        });
        if (rv is null)
        {
            Forget(key);
            return;
        }

        tracked.WrittenRv = rv.Value;
        var pref = PodRef.Of(pod) with { ResourceVersion = rv.Value.ToString(CultureInfo.InvariantCulture) };
        _events.Record(pref, null, "Normal", "Scheduled", $"Successfully assigned {key} to {node.Name}", EventRecorder.Scheduler, "", now);
        Enqueue(DueKind.Start, key, uid, now + StartDelay(uid));
    }

    private void MarkUnschedulable(string key, JsonObject pod, string message, DateTimeOffset now, bool announce)
    {
        var changed = !_unschedulable.TryGetValue(key, out var previous) || previous != message;
        _unschedulable[key] = message;
        if (_unschedulable.Count == 1)
        {
            _nextRetry = now + _options.RetryUnschedulable;
        }

        if (!changed && !announce)
        {
            return;
        }

        TryMutate(key, pod.Uid(), p =>
        {
            if ((p.Str("spec", "nodeName") ?? "").Length > 0)
            {
                return false;
            }

            return PodStatuses.Unschedulable(p, message, now);
        });
        if (changed)
        {
            _events.Record(PodRef.Of(pod), null, "Warning", "FailedScheduling", message, EventRecorder.Scheduler, "", now);
        }
    }

    private void RetryUnschedulable(DateTimeOffset now)
    {
        _nextRetry = now + _options.RetryUnschedulable;
        foreach (var key in _unschedulable.Keys.ToList())
        {
            var (ns, name) = Split(key);
            var stored = _store.Get(_pods, ns, name);
            if (stored is null)
            {
                _unschedulable.Remove(key);
                continue;
            }

            var pod = stored.Parse();
            if ((pod.Str("spec", "nodeName") ?? "").Length > 0 || pod.Str("metadata", "deletionTimestamp") is not null)
            {
                _unschedulable.Remove(key);
                continue;
            }

            TrySchedule(key, pod, now, announceFailure: false);
        }
    }

    /// <summary>The fitting node with the fewest pods, or the scheduler's FitError message.</summary>
    private (NodeState? Node, string Failure) PickNode(JsonObject pod)
    {
        if (_nodeView.Count == 0)
        {
            return (null, "no nodes available to schedule pods");
        }

        var selector = pod.StringMap("spec", "nodeSelector");
        var tolerations = pod.Arr("spec", "tolerations")?.OfType<JsonObject>().ToList() ?? [];
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        NodeState? best = null;
        foreach (var node in _nodeView.Nodes)
        {
            var reason = Misfit(node, selector, tolerations);
            if (reason is not null)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                continue;
            }

            if (best is null || node.Pods < best.Pods || (node.Pods == best.Pods && string.CompareOrdinal(node.Name, best.Name) < 0))
            {
                best = node;
            }
        }

        if (best is not null)
        {
            return (best, "");
        }

        var total = _nodeView.Count.ToString(CultureInfo.InvariantCulture);
        var histogram = reasons.Select(r => $"{r.Value.ToString(CultureInfo.InvariantCulture)} {r.Key}").Order(StringComparer.Ordinal);
        return (null, $"0/{total} nodes are available: {string.Join(", ", histogram)}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.");
    }

    private static string? Misfit(NodeState node, IReadOnlyDictionary<string, string> selector, List<JsonObject> tolerations)
    {
        if (node.Unschedulable && !Tolerates(tolerations, "node.kubernetes.io/unschedulable", "", "NoSchedule"))
        {
            return NodeUnschedulable;
        }

        foreach (var (key, value) in selector)
        {
            if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return NodeSelectorMismatch;
            }
        }

        foreach (var (key, value, effect) in node.Taints)
        {
            if (effect is "NoSchedule" or "NoExecute" && !Tolerates(tolerations, key, value, effect))
            {
                return $"node(s) had untolerated taint {{{key}: {value}}}";
            }
        }

        return null;
    }

    private static bool Tolerates(List<JsonObject> tolerations, string key, string value, string effect) =>
        tolerations.Any(t =>
        {
            var tEffect = t.Str("effect") ?? "";
            var tKey = t.Str("key") ?? "";
            if ((tEffect.Length > 0 && tEffect != effect) || (tKey.Length > 0 && tKey != key))
            {
                return false;
            }

            return t.Str("operator") == "Exists" ? true : tKey == key && (t.Str("value") ?? "") == value;
        });

    private TimeSpan StartDelay(string uid)
    {
        var min = _options.StartDelayMin;
        var span = Math.Max(0, (_options.StartDelayMax - min).Ticks);
        return min + TimeSpan.FromTicks((long)(SimFormat.Unit(SimFormat.Mix(SimFormat.Hash(uid), 1)) * span));
    }
}
