using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    private const string DeploymentComponent = "deployment-controller";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    private const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    private const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    private const string TemplateHashLabel = "pod-template-hash";

    /// <summary>Annotations a Deployment does not pass on to its ReplicaSets (annotationsToSkip).</summary>
    private static readonly HashSet<string> SkippedAnnotations = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, RevisionHistoryAnnotation,
        DesiredReplicasAnnotation, MaxReplicasAnnotation, "deprecated.deployment.rollback.to",
    };

    /// <summary>syncDeployment: claim ReplicaSets, then pause/scale, Recreate or RollingUpdate, then status.</summary>
    private void SyncDeployment(string ns, string name)
    {
        if (Selecting(_deployments, ns, name) is not ({ } d, { } selector))
        {
            return;
        }

        var all = ClaimReplicaSets(d, selector);
        if (d.Str("metadata", "deletionTimestamp") is not null)
        {
            SyncDeploymentStatus(d, all, FindNewReplicaSet(d, all));
            return;
        }

        var paused = d.Bool("spec", "paused") == true;
        var progressing = d.Arr("status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Progressing");
        var now = _time.GetUtcNow();
        if (paused && progressing?.Str("reason") != "DeploymentPaused")
        {
            d = UpdateDeploymentStatus(d, s => WorkloadJson.SetCondition(s, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now, true));
        }
        else if (!paused && progressing?.Str("reason") == "DeploymentPaused")
        {
            d = UpdateDeploymentStatus(d, s => WorkloadJson.SetCondition(s, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now, true));
        }

        if (paused || IsScalingEvent(d, all))
        {
            ScaleDeployment(d, all, paused);
            return;
        }

        if (d.Str("spec", "strategy", "type") == "Recreate")
        {
            RolloutRecreate(d, all);
        }
        else
        {
            RolloutRolling(d, all);
        }
    }

    /// <summary>The Deployment's ReplicaSets after adoption and release, oldest first.</summary>
    private List<JsonObject> ClaimReplicaSets(JsonObject d, LabelSelector selector)
    {
        var uid = d.Uid();
        var deleting = d.Str("metadata", "deletionTimestamp") is not null;
        var owned = new List<JsonObject>();
        foreach (var stored in _store.All(_replicaSets, d.Namespace()))
        {
            var rs = stored.Parse();
            var controller = OwnerRef.ControllerOf(rs);
            var matches = selector.Matches(stored.Labels);
            if (controller?.Uid == uid)
            {
                if (matches || deleting)
                {
                    owned.Add(rs);
                }
                else
                {
                    _store.Mutate(_replicaSets, rs.Namespace(), rs.Name(), o => o.Uid() == rs.Uid() && SetOwner(o, null, uid));
                }
            }
            else if (controller is null && matches && !deleting && rs.Str("metadata", "deletionTimestamp") is null)
            {
                var adopted = _store.Mutate(_replicaSets, rs.Namespace(), rs.Name(), o => o.Uid() == rs.Uid() && SetOwner(o, WorkloadJson.ControllerRef("Deployment", d), null));
                owned.Add(adopted.Parse());
            }
        }

        return [.. owned.OrderBy(r => r.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).ThenBy(r => r.Name(), StringComparer.Ordinal)];
    }

    /// <summary>The oldest ReplicaSet whose template equals the Deployment's, ignoring pod-template-hash.</summary>
    private static JsonObject? FindNewReplicaSet(JsonObject d, List<JsonObject> all)
    {
        var template = WithoutHash(d.Obj("spec", "template"));
        return all.FirstOrDefault(rs => JsonNode.DeepEquals(WithoutHash(rs.Obj("spec", "template")), template));
    }

    private static JsonNode? WithoutHash(JsonObject? template)
    {
        var copy = template?.DeepClone().AsObject();
        if (copy?.Obj("metadata", "labels") is { } labels)
        {
            labels.Remove(TemplateHashLabel);
            if (labels.Count == 0)
            {
                copy.Obj("metadata")!.Remove("labels");
            }
        }

        return copy;
    }

    private static long Revision(JsonObject obj) =>
        long.TryParse(obj.Str("metadata", "annotations", RevisionAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0;

    /// <summary>
    /// getNewReplicaSet: brings an existing new ReplicaSet's revision and annotations up to date,
    /// or creates it when asked. Returns the new ReplicaSet and the Deployment as updated.
    /// </summary>
    private (JsonObject? NewRs, JsonObject D) GetNewReplicaSet(JsonObject d, List<JsonObject> all, bool create)
    {
        var existing = FindNewReplicaSet(d, all);
        var maxOld = all.Where(rs => rs != existing).Select(Revision).DefaultIfEmpty(0).Max();
        var newRevision = maxOld + 1;
        var now = _time.GetUtcNow();
        if (existing is not null)
        {
            var changed = existing.DeepClone().AsObject();
            SetReplicaSetAnnotations(d, changed, newRevision, exists: true);
            if ((d.Long("spec", "minReadySeconds") ?? 0) != (changed.Long("spec", "minReadySeconds") ?? 0))
            {
                SetMinReadySeconds(d, changed);
            }

            if (!JsonNode.DeepEquals(changed, existing))
            {
                changed.Metadata().Remove("resourceVersion");
                existing = _store.Update(_replicaSets, changed).Parse();
                Replace(all, existing);
            }

            d = SyncRevisionAnnotation(d, existing);
            if (d.Arr("status", "conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Progressing") != true)
            {
                d = UpdateDeploymentStatus(d, s => WorkloadJson.SetCondition(s, "Progressing", "True", "FoundNewReplicaSet", $"Found new replica set \"{existing.Name()}\"", now, true));
            }

            return (existing, d);
        }

        if (!create)
        {
            return (null, d);
        }

        var collisions = d.Long("status", "collisionCount") ?? 0;
        var template = d.Obj("spec", "template")!.DeepClone().AsObject();
        var hash = WorkloadJson.Hash(template, collisions);
        var labels = template.Obj("metadata", "labels") ?? new JsonObject();
        labels[TemplateHashLabel] = hash;
        template.Set(["metadata", "labels"], labels);
        var selector = d.Obj("spec", "selector")!.DeepClone().AsObject();
        var matchLabels = selector.Obj("matchLabels") ?? new JsonObject();
        matchLabels[TemplateHashLabel] = hash;
        selector["matchLabels"] = matchLabels;
        var meta = WorkloadJson.NewMetadata(d.Namespace(), "Deployment", d, now);
        meta["name"] = $"{d.Name()}-{hash}";
        meta["labels"] = labels.DeepClone();
        var rs = new JsonObject
        {
            ["kind"] = "ReplicaSet",
            ["apiVersion"] = "apps/v1",
            ["metadata"] = meta,
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
        SetMinReadySeconds(d, rs);
        meta["generation"] = 1;
        SetReplicaSetAnnotations(d, rs, newRevision, exists: false);
        var replicas = NewReplicaSetReplicas(d, all, rs);
        rs.Set(["spec", "replicas"], replicas);
        JsonObject created;
        try
        {
            created = _store.Create(_replicaSets, rs).Parse();
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // a ReplicaSet of that name with another template: hash again with a higher collisionCount
            UpdateDeploymentStatus(d, s => s["collisionCount"] = collisions + 1);
            throw;
        }

        all.Add(created);
        if (replicas > 0)
        {
            _events.Normal(d, DeploymentComponent, "ScalingReplicaSet", $"Scaled up replica set {created.Name()} from 0 to {replicas}", now);
        }

        d = SyncRevisionAnnotation(d, created);
        d = UpdateDeploymentStatus(d, s => WorkloadJson.SetCondition(s, "Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{created.Name()}\"", now, true));
        return (created, d);
    }

    /// <summary>SetNewReplicaSetAnnotations: copies the Deployment's annotations, bumps the revision (keeping its history); a new one also gets desired/max replicas.</summary>
    private static void SetReplicaSetAnnotations(JsonObject d, JsonObject rs, long newRevision, bool exists)
    {
        var annotations = rs.Obj("metadata", "annotations") ?? new JsonObject();
        foreach (var (k, v) in d.Annotations())
        {
            if (!SkippedAnnotations.Contains(k))
            {
                annotations[k] = v;
            }
        }

        var old = Revision(rs);
        if (old < newRevision)
        {
            if (exists && old > 0)
            {
                var history = annotations.Str(RevisionHistoryAnnotation);
                annotations[RevisionHistoryAnnotation] = string.IsNullOrEmpty(history) ? WorkloadJson.Text(old) : $"{history},{WorkloadJson.Text(old)}";
            }

            annotations[RevisionAnnotation] = WorkloadJson.Text(newRevision);
        }

        if (!exists)
        {
            var replicas = WorkloadJson.Int(d, "spec", "replicas");
            annotations[DesiredReplicasAnnotation] = WorkloadJson.Text(replicas);
            annotations[MaxReplicasAnnotation] = WorkloadJson.Text(replicas + MaxSurge(d));
        }

        rs.Metadata()["annotations"] = annotations;
    }

    /// <summary>The Deployment carries its new ReplicaSet's revision.</summary>
    private JsonObject SyncRevisionAnnotation(JsonObject d, JsonObject newRs)
    {
        var revision = newRs.Str("metadata", "annotations", RevisionAnnotation);
        if (revision is null || d.Str("metadata", "annotations", RevisionAnnotation) == revision)
        {
            return d;
        }

        return _store.Mutate(_deployments, d.Namespace(), d.Name(), o =>
        {
            if (o.Uid() != d.Uid())
            {
                return false;
            }

            var annotations = o.Obj("metadata", "annotations") ?? new JsonObject();
            annotations[RevisionAnnotation] = revision;
            o.Metadata()["annotations"] = annotations;
            return true;
        }).Parse();
    }

    private JsonObject UpdateDeploymentStatus(JsonObject d, Action<JsonObject> change) =>
        _store.Mutate(_deployments, d.Namespace(), d.Name(), o =>
        {
            if (o.Uid() != d.Uid())
            {
                return false;
            }

            var status = o.Obj("status") ?? new JsonObject();
            var before = status.DeepClone();
            change(status);
            o["status"] = status;
            return !JsonNode.DeepEquals(before, status);
        }).Parse();

    private static void Replace(List<JsonObject> all, JsonObject rs)
    {
        var i = all.FindIndex(r => r.Uid() == rs.Uid());
        if (i >= 0)
        {
            all[i] = rs;
        }
    }

    /// <summary>The Deployment's minReadySeconds on its ReplicaSet; 0 is left out, as the API server stores it (omitempty).</summary>
    private static void SetMinReadySeconds(JsonObject d, JsonObject rs)
    {
        var spec = rs["spec"]!.AsObject();
        if ((d.Long("spec", "minReadySeconds") ?? 0) is var min and not 0)
        {
            spec["minReadySeconds"] = min;
        }
        else
        {
            spec.Remove("minReadySeconds");
        }
    }
}
