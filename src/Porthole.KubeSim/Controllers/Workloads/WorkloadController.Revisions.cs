using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Controllers.Workloads;

public sealed partial class WorkloadController
{
    private const string RevisionHashLabel = "controller-revision-hash";

    /// <summary>
    /// The ControllerRevisions of a StatefulSet or DaemonSet, oldest first, with the one matching
    /// the current template created (or moved to the newest revision number when an old template returns).
    /// </summary>
    private (JsonObject Update, List<JsonObject> All) SyncRevisions(string kind, JsonObject owner)
    {
        var uid = owner.Uid();
        var all = _store.All(_revisions, owner.Namespace()).Select(s => s.Parse())
            .Where(r => OwnerRef.ControllerOf(r)?.Uid == uid)
            .OrderBy(r => r.Long("revision") ?? 0).ToList();
        var template = owner.Obj("spec", "template")?.DeepClone().AsObject() ?? new JsonObject();
        var hash = WorkloadJson.Hash(template, owner.Long("status", "collisionCount") ?? 0);
        template["$patch"] = "replace";
        var data = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } };
        var max = all.Select(r => r.Long("revision") ?? 0).DefaultIfEmpty(0).Max();
        var match = all.LastOrDefault(r => JsonNode.DeepEquals(r["data"], data));
        if (match is not null)
        {
            if ((match.Long("revision") ?? 0) < max)
            {
                match = _store.Mutate(_revisions, match.Namespace(), match.Name(), o =>
                {
                    o["revision"] = max + 1;
                    return true;
                }).Parse();
                all = [.. all.Where(r => r.Uid() != match.Uid()), match];
            }

            return (match, all);
        }

        var labels = WorkloadJson.Copy(owner.Obj("spec", "template", "metadata", "labels").StringMap());
        labels[kind == "DaemonSet" ? RevisionHashLabel : "controller.kubernetes.io/hash"] = hash;
        var meta = WorkloadJson.NewMetadata(owner.Namespace(), kind, owner, _time.GetUtcNow());
        meta["name"] = $"{(owner.Name().Length > 223 ? owner.Name()[..223] : owner.Name())}-{hash}";
        meta["labels"] = WorkloadJson.ToJson(labels);
        if (owner.Obj("metadata", "annotations") is { Count: > 0 } annotations)
        {
            // As upstream's newRevision / snapshot: the owner's annotations (kubernetes.io/change-cause for `kubectl rollout history`).
            meta["annotations"] = annotations.DeepClone();
        }

        var revision = new JsonObject
        {
            ["kind"] = "ControllerRevision",
            ["apiVersion"] = "apps/v1",
            ["metadata"] = meta,
            ["data"] = data,
            ["revision"] = max + 1,
        };
        var created = _store.Create(_revisions, revision).Parse();
        all.Add(created);
        return (created, all);
    }

    /// <summary>The pod template a revision recorded.</summary>
    private static JsonObject TemplateOf(JsonObject revision)
    {
        var template = revision.Obj("data", "spec", "template")?.DeepClone().AsObject() ?? new JsonObject();
        template.Remove("$patch");
        return template;
    }

    /// <summary>The revision name (StatefulSet) or hash (DaemonSet) a pod's controller-revision-hash label carries.</summary>
    private static string HashOf(JsonObject revision, string kind) =>
        kind == "DaemonSet" ? revision.Name()[(revision.Name().LastIndexOf('-') + 1)..] : revision.Name();

    /// <summary>truncateHistory: deletes the oldest revisions no pod uses beyond revisionHistoryLimit.</summary>
    private void TruncateRevisions(JsonObject owner, List<JsonObject> all, IEnumerable<string> live, string kind)
    {
        var keep = live.ToHashSet(StringComparer.Ordinal);
        var limit = owner.Long("spec", "revisionHistoryLimit") ?? 10;
        var dead = all.Where(r => !keep.Contains(HashOf(r, kind))).ToList();
        foreach (var r in dead.Take((int)Math.Max(0, dead.Count - limit)))
        {
            try
            {
                _deleter.Delete(_revisions, r.Namespace(), r.Name(), DeleteOptions.Default);
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        }
    }
}
