using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    private static int Replicas(JsonObject obj) => WorkloadJson.Int(obj, "spec", "replicas");

    private static int Available(JsonObject rs) => WorkloadJson.Int(rs, "status", "availableReplicas");

    private static bool IsRolling(JsonObject d) => d.Str("spec", "strategy", "type") != "Recreate";

    /// <summary>ResolveFenceposts: maxSurge rounded up, maxUnavailable down; never both zero.</summary>
    private static (int Surge, int Unavailable) Fenceposts(JsonObject d)
    {
        var replicas = Replicas(d);
        var surge = WorkloadJson.Scaled(d.At("spec", "strategy", "rollingUpdate", "maxSurge"), replicas, true, 0);
        var unavailable = WorkloadJson.Scaled(d.At("spec", "strategy", "rollingUpdate", "maxUnavailable"), replicas, false, 0);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    private static int MaxSurge(JsonObject d) => IsRolling(d) ? Fenceposts(d).Surge : 0;

    private static int MaxUnavailable(JsonObject d) =>
        !IsRolling(d) || Replicas(d) == 0 ? 0 : Math.Min(Fenceposts(d).Unavailable, Replicas(d));

    private static List<JsonObject> Old(List<JsonObject> all, JsonObject? newRs) =>
        [.. all.Where(rs => newRs is null || rs.Uid() != newRs.Uid())];

    private static int Desired(JsonObject rs) =>
        int.TryParse(rs.Str("metadata", "annotations", DesiredReplicasAnnotation), out var n) ? n : -1;

    /// <summary>NewRSNewReplicas: how far the new ReplicaSet may grow now.</summary>
    private static int NewReplicaSetReplicas(JsonObject d, List<JsonObject> all, JsonObject newRs)
    {
        if (!IsRolling(d))
        {
            return Replicas(d);
        }

        var current = all.Sum(Replicas);
        var maxTotal = Replicas(d) + MaxSurge(d);
        if (current >= maxTotal)
        {
            return Replicas(newRs);
        }

        return Replicas(newRs) + Math.Min(maxTotal - current, Replicas(d) - Replicas(newRs));
    }

    /// <summary>isScalingEvent: an active ReplicaSet was sized for another replica count.</summary>
    private static bool IsScalingEvent(JsonObject d, List<JsonObject> all) =>
        all.Where(rs => Replicas(rs) > 0).Any(rs => Desired(rs) >= 0 && Desired(rs) != Replicas(d));

    private void RolloutRolling(JsonObject d, List<JsonObject> all)
    {
        (var newRs, d) = GetNewReplicaSet(d, all, create: true);
        if (newRs is null)
        {
            return;
        }

        var changed = false;
        if (Replicas(newRs) > Replicas(d))
        {
            newRs = ScaleReplicaSet(d, all, newRs, Replicas(d));
            changed = true;
        }
        else if (Replicas(newRs) < Replicas(d))
        {
            var target = NewReplicaSetReplicas(d, all, newRs);
            changed = target != Replicas(newRs);
            newRs = ScaleReplicaSet(d, all, newRs, target);
        }

        if (!changed)
        {
            changed = ReconcileOldReplicaSets(d, all, newRs);
        }

        if (!changed && IsComplete(d, CalculateStatus(d, all, newRs)))
        {
            CleanupOldReplicaSets(d, Old(all, newRs));
        }

        SyncRolloutStatus(d, all, newRs);
    }

    /// <summary>reconcileOldReplicaSets: scale old ReplicaSets down as far as maxUnavailable allows.</summary>
    private bool ReconcileOldReplicaSets(JsonObject d, List<JsonObject> all, JsonObject newRs)
    {
        var old = Old(all, newRs).Where(rs => Replicas(rs) > 0).ToList();
        if (old.Count == 0)
        {
            return false;
        }

        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var newUnavailable = Replicas(newRs) - Available(newRs);
        var maxScaledDown = all.Sum(Replicas) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }

        var total = 0;
        foreach (var rs in old.ToList())
        {
            if (total >= maxScaledDown)
            {
                break;
            }

            var unhealthy = Replicas(rs) - Available(rs);
            if (unhealthy <= 0)
            {
                continue;
            }

            var down = Math.Min(maxScaledDown - total, unhealthy);
            ScaleReplicaSet(d, all, rs, Replicas(rs) - down);
            total += down;
        }

        var available = all.Sum(Available);
        if (available > minAvailable)
        {
            var budget = available - minAvailable;
            var scaled = 0;
            foreach (var rs in Old(all, newRs).Where(rs => Replicas(rs) > 0).ToList())
            {
                if (scaled >= budget)
                {
                    break;
                }

                var down = Math.Min(Replicas(rs), budget - scaled);
                ScaleReplicaSet(d, all, rs, Replicas(rs) - down);
                scaled += down;
            }

            total += scaled;
        }

        return total > 0;
    }

    private void RolloutRecreate(JsonObject d, List<JsonObject> all)
    {
        (var newRs, d) = GetNewReplicaSet(d, all, create: false);
        var scaledDown = false;
        foreach (var rs in Old(all, newRs).Where(rs => Replicas(rs) > 0).ToList())
        {
            ScaleReplicaSet(d, all, rs, 0);
            scaledDown = true;
        }

        if (scaledDown || OldPodsRunning(d, all, newRs))
        {
            SyncRolloutStatus(d, all, newRs);
            return;
        }

        if (newRs is null)
        {
            (newRs, d) = GetNewReplicaSet(d, all, create: true);
        }

        if (newRs is not null && Replicas(newRs) != Replicas(d))
        {
            newRs = ScaleReplicaSet(d, all, newRs, Replicas(d));
        }
        else if (newRs is not null && IsComplete(d, CalculateStatus(d, all, newRs)))
        {
            CleanupOldReplicaSets(d, Old(all, newRs));
        }

        SyncRolloutStatus(d, all, newRs);
    }

    /// <summary>oldPodsRunning: an old ReplicaSet still counts pods, or has a pod (even terminating) not yet finished.</summary>
    private bool OldPodsRunning(JsonObject d, List<JsonObject> all, JsonObject? newRs)
    {
        var old = Old(all, newRs);
        if (old.Sum(rs => WorkloadJson.Int(rs, "status", "replicas")) > 0)
        {
            return true;
        }

        var uids = old.Select(rs => rs.Uid()).ToHashSet(StringComparer.Ordinal);
        return _podIndex.InNamespace(d.Namespace()).Any(p => p.Controller is { } c && uids.Contains(c.Uid) && p.Phase is not "Succeeded" and not "Failed");
    }

    /// <summary>dc.scale: a replica-count change (or a paused Deployment) spreads proportionally over the active ReplicaSets.</summary>
    private void ScaleDeployment(JsonObject d, List<JsonObject> all, bool paused)
    {
        (var newRs, d) = GetNewReplicaSet(d, all, create: false);
        var active = all.Where(rs => Replicas(rs) > 0).ToList();
        var only = active.Count switch
        {
            0 => newRs ?? all.LastOrDefault(),
            1 => active[0],
            _ => null,
        };
        if (only is not null)
        {
            if (Replicas(only) != Replicas(d) || Desired(only) != Replicas(d))
            {
                ScaleReplicaSet(d, all, only, Replicas(d));
            }
        }
        else if (newRs is not null && Replicas(newRs) == Replicas(d) && Desired(newRs) == Replicas(d) && Available(newRs) == Replicas(d))
        {
            foreach (var rs in Old(all, newRs).Where(rs => Replicas(rs) > 0).ToList())
            {
                ScaleReplicaSet(d, all, rs, 0);
            }
        }
        else if (IsRolling(d))
        {
            ScaleProportionally(d, all, active);
        }

        if (paused)
        {
            CleanupOldReplicaSets(d, Old(all, newRs));
        }

        SyncDeploymentStatus(d, all, newRs);
    }

    private void ScaleProportionally(JsonObject d, List<JsonObject> all, List<JsonObject> active)
    {
        var allowed = Replicas(d) > 0 ? Replicas(d) + MaxSurge(d) : 0;
        var toAdd = allowed - active.Sum(Replicas);
        var ordered = toAdd > 0
            ? active.OrderByDescending(Replicas).ThenByDescending(rs => rs.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).ToList()
            : active.OrderByDescending(Replicas).ThenBy(rs => rs.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).ToList();
        var targets = ordered.Select(Replicas).ToArray();
        var added = 0;
        for (var i = 0; i < ordered.Count && toAdd != 0; i++)
        {
            var annotated = int.TryParse(ordered[i].Str("metadata", "annotations", MaxReplicasAnnotation), out var m) && m > 0 ? m : Math.Max(1, WorkloadJson.Int(d, "status", "replicas"));
            var fraction = Replicas(d) == 0 ? -Replicas(ordered[i]) : (int)Math.Round((double)Replicas(ordered[i]) * allowed / annotated) - Replicas(ordered[i]);
            var room = toAdd - added;
            var proportion = toAdd > 0 ? Math.Min(fraction, room) : Math.Max(fraction, room);
            targets[i] += proportion;
            added += proportion;
        }

        if (ordered.Count > 0)
        {
            targets[0] = Math.Max(0, targets[0] + toAdd - added);
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            ScaleReplicaSet(d, all, ordered[i], Math.Max(0, targets[i]));
        }
    }

    /// <summary>scaleReplicaSetAndRecordEvent: new size and desired/max annotations, with the ScalingReplicaSet event.</summary>
    private JsonObject ScaleReplicaSet(JsonObject d, List<JsonObject> all, JsonObject rs, int size)
    {
        var desired = WorkloadJson.Text(Replicas(d));
        var max = WorkloadJson.Text(Replicas(d) + MaxSurge(d));
        var from = Replicas(rs);
        if (from == size && rs.Str("metadata", "annotations", DesiredReplicasAnnotation) == desired && rs.Str("metadata", "annotations", MaxReplicasAnnotation) == max)
        {
            return rs;
        }

        var updated = _store.Mutate(_replicaSets, rs.Namespace(), rs.Name(), o =>
        {
            if (o.Uid() != rs.Uid())
            {
                return false;
            }

            o.Set(["spec", "replicas"], size);
            var annotations = o.Obj("metadata", "annotations") ?? new JsonObject();
            annotations[DesiredReplicasAnnotation] = desired;
            annotations[MaxReplicasAnnotation] = max;
            o.Metadata()["annotations"] = annotations;
            if (from != size)
            {
                o.Metadata()["generation"] = (o.Long("metadata", "generation") ?? 1) + 1;
            }

            return true;
        }).Parse();
        Replace(all, updated);
        _dirty.Add(new Key(Kind.ReplicaSet, updated.Namespace(), updated.Name()));
        if (from != size)
        {
            var direction = size > from ? "up" : "down";
            _events.Normal(d, DeploymentComponent, "ScalingReplicaSet", $"Scaled {direction} replica set {rs.Name()} from {from} to {size}", _time.GetUtcNow());
        }

        return updated;
    }

    /// <summary>cleanupDeployment: deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit.</summary>
    private void CleanupOldReplicaSets(JsonObject d, List<JsonObject> old)
    {
        if (d.Long("spec", "revisionHistoryLimit") is not { } limit)
        {
            return;
        }

        var cleanable = old.Where(rs => Replicas(rs) == 0 && WorkloadJson.Int(rs, "status", "replicas") == 0
                && (rs.Long("metadata", "generation") ?? 1) == (rs.Long("status", "observedGeneration") ?? 0)
                && rs.Str("metadata", "deletionTimestamp") is null)
            .OrderBy(Revision).ToList();
        foreach (var rs in cleanable.Take((int)Math.Max(0, cleanable.Count - limit)))
        {
            try
            {
                _deleter.Delete(_replicaSets, rs.Namespace(), rs.Name(), DeleteOptions.Default with { PreconditionUid = rs.Uid() });
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
            }
        }
    }
}
