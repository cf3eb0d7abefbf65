using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    /// <summary>
    /// Creates a pod from a controller's template with the defaults and admission the API server
    /// applies, then records it in the index. Name: <paramref name="name"/>, or generateName.
    /// </summary>
    private PodFacts CreatePod(string kind, JsonObject owner, JsonObject template, string? name, IReadOnlyDictionary<string, string> labels, Action<JsonObject>? adjustSpec = null)
    {
        var now = _time.GetUtcNow();
        var meta = WorkloadJson.NewMetadata(owner.Namespace(), kind, owner, now);
        meta["labels"] = WorkloadJson.ToJson(labels);
        if (template.Obj("metadata", "annotations") is { Count: > 0 } annotations)
        {
            meta["annotations"] = annotations.DeepClone();
        }

        var spec = template.Obj("spec")?.DeepClone().AsObject() ?? new JsonObject();
        adjustSpec?.Invoke(spec);
        Server.Defaults.PodSpec(spec);
        Server.Defaults.PodAdmission(spec);
        var pod = new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = meta,
            ["spec"] = spec,
        };
        pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = SimContainers.QosClass(pod) };
        for (var attempt = 0; ; attempt++)
        {
            if (name is not null)
            {
                meta["name"] = name;
            }
            else
            {
                meta.Remove("name");
                meta["generateName"] = owner.Name() + "-";
                Server.ObjectRules.GenerateName(pod);
            }

            try
            {
                var stored = _store.Create(_pods, pod.DeepClone().AsObject());
                return _podIndex.Upsert(stored) ?? PodFacts.From(stored);
            }
            catch (ApiException e) when (e.Code == 409 && name is null && attempt < 5)
            {
                // generated name taken: draw another
            }
        }
    }

    /// <summary>Deletes a pod as a controller does (graceful, through the deleter) and updates the index.</summary>
    private void DeletePod(PodFacts pod)
    {
        try
        {
            var (stored, removed) = _deleter.Delete(_pods, pod.Namespace, pod.Name, DeleteOptions.Default with { PreconditionUid = pod.Uid });
            if (removed)
            {
                _podIndex.Remove(pod.Namespace, pod.Name, pod.Uid);
            }
            else
            {
                _podIndex.Upsert(stored);
            }
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    /// <summary>
    /// Claims pods like the ControllerRefManager: owned pods the selector no longer matches are
    /// released, matching orphans adopted (unless the owner is being deleted). Returns the owned, active pods.
    /// </summary>
    private List<PodFacts> ClaimPods(string kind, JsonObject owner, LabelSelector selector, Func<PodFacts, bool>? member = null)
    {
        var uid = owner.Uid();
        var deleting = owner.Str("metadata", "deletionTimestamp") is not null;
        var owned = new List<PodFacts>();
        foreach (var pod in _podIndex.InNamespace(owner.Namespace()).ToList())
        {
            var matches = selector.Matches(pod.Labels) && (member?.Invoke(pod) ?? true);
            if (pod.Controller?.Uid == uid)
            {
                if (matches || deleting)
                {
                    if (pod.Active)
                    {
                        owned.Add(pod);
                    }
                }
                else
                {
                    ChangeOwner(pod, null, uid);
                }
            }
            else if (pod.Controller is null && matches && !deleting && pod.Active)
            {
                if (ChangeOwner(pod, WorkloadJson.ControllerRef(kind, owner), null) is { } adopted)
                {
                    owned.Add(adopted);
                }
            }
        }

        return owned;
    }

    /// <summary>Adds a controller reference (adopt) or removes the one to <paramref name="releaseUid"/> (orphan).</summary>
    private PodFacts? ChangeOwner(PodFacts pod, JsonObject? adopt, string? releaseUid)
    {
        try
        {
            var stored = _store.Mutate(_pods, pod.Namespace, pod.Name, p => pod.Uid == p.Uid() && SetOwner(p, adopt, releaseUid));
            return _podIndex.Upsert(stored) ?? _podIndex.Get(pod.Namespace, pod.Name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private static bool SetOwner(JsonObject obj, JsonObject? adopt, string? releaseUid)
    {
        var meta = obj.Metadata();
        var refs = meta.Arr("ownerReferences") ?? new JsonArray();
        if (adopt is not null)
        {
            if (refs.OfType<JsonObject>().Any(r => r.Bool("controller") == true))
            {
                return false;
            }

            refs.Add(adopt);
            meta["ownerReferences"] = refs;
            return true;
        }

        var match = refs.OfType<JsonObject>().FirstOrDefault(r => r.Str("uid") == releaseUid);
        if (match is null)
        {
            return false;
        }

        refs.Remove(match);
        if (refs.Count == 0)
        {
            meta.Remove("ownerReferences");
        }

        return true;
    }

    /// <summary>Writes a new status when it differs; sets observedGeneration.</summary>
    private void WriteStatus(ResourceType type, JsonObject obj, JsonObject status)
    {
        if (JsonNode.DeepEquals(obj["status"], status))
        {
            return;
        }

        var uid = obj.Uid();
        _store.Mutate(type, obj.Namespace(), obj.Name(), o =>
        {
            if (o.Uid() != uid || JsonNode.DeepEquals(o["status"], status))
            {
                return false;
            }

            o["status"] = status.DeepClone();
            return true;
        });
    }
}
