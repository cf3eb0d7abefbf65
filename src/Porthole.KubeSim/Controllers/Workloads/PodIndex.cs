using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Workloads;

/// <summary>What the workload controllers need to know about one pod, parsed once per change.</summary>
internal sealed record PodFacts(
    string Namespace,
    string Name,
    string Uid,
    long ResourceVersion,
    IReadOnlyDictionary<string, string> Labels,
    OwnerRef? Controller,
    string NodeName,
    string Phase,
    bool Deleting,
    DateTimeOffset? ReadySince,
    DateTimeOffset Created,
    long Restarts)
{
    /// <summary>Neither terminating nor finished (controller.IsPodActive).</summary>
    public bool Active => !Deleting && Phase is not "Succeeded" and not "Failed";

    public bool Ready => ReadySince is not null;

    /// <summary>Ready for at least minReadySeconds (podutil.IsPodAvailable).</summary>
    public bool Available(long minReadySeconds, DateTimeOffset now) =>
        ReadySince is { } since && (minReadySeconds <= 0 || since.AddSeconds(minReadySeconds) <= now);

    public static PodFacts From(StoredObject stored)
    {
        var pod = stored.Parse();
        var ready = pod.Arr("status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "Ready");
        DateTimeOffset? readySince = ready?.Str("status") == "True"
            ? SimFormat.ParseTime(ready.Str("lastTransitionTime")) ?? DateTimeOffset.MinValue
            : null;
        var restarts = pod.Arr("status", "containerStatuses")?.OfType<JsonObject>().Sum(c => c.Long("restartCount") ?? 0) ?? 0;
        return new PodFacts(
            stored.Namespace,
            stored.Name,
            stored.Uid,
            stored.ResourceVersion,
            stored.Labels,
            OwnerRef.ControllerOf(pod),
            pod.Str("spec", "nodeName") ?? "",
            pod.Str("status", "phase") ?? "Pending",
            pod.Str("metadata", "deletionTimestamp") is not null,
            readySince,
            SimFormat.ParseTime(pod.Str("metadata", "creationTimestamp")) ?? DateTimeOffset.MinValue,
            restarts);
    }
}

/// <summary>The controlling ownerReference of an object.</summary>
internal sealed record OwnerRef(string Kind, string Name, string Uid)
{
    public static OwnerRef? ControllerOf(JsonObject obj) =>
        obj.Arr("metadata", "ownerReferences")?.OfType<JsonObject>().Where(r => r.Bool("controller") == true)
            .Select(r => new OwnerRef(r.Str("kind") ?? "", r.Str("name") ?? "", r.Str("uid") ?? "")).FirstOrDefault();
}

/// <summary>
/// The controllers' pod informer: every pod by namespace, fed by the watch and by the
/// controllers' own writes (so a sync never acts twice on a change it has not seen come back yet).
/// </summary>
internal sealed class PodIndex
{
    private readonly Dictionary<string, Dictionary<string, PodFacts>> _byNamespace = new(StringComparer.Ordinal);

    public IReadOnlyCollection<PodFacts> InNamespace(string ns) =>
        _byNamespace.TryGetValue(ns, out var pods) ? pods.Values : [];

    public void Clear() => _byNamespace.Clear();

    /// <summary>Records a pod's new state unless an equal or newer one is known; returns the facts.</summary>
    public PodFacts? Upsert(StoredObject stored)
    {
        if (!_byNamespace.TryGetValue(stored.Namespace, out var pods))
        {
            pods = new Dictionary<string, PodFacts>(StringComparer.Ordinal);
            _byNamespace[stored.Namespace] = pods;
        }

        if (pods.TryGetValue(stored.Name, out var known) && known.Uid == stored.Uid && known.ResourceVersion >= stored.ResourceVersion)
        {
            return null;
        }

        var facts = PodFacts.From(stored);
        pods[stored.Name] = facts;
        return facts;
    }

    public void Remove(string ns, string name, string uid)
    {
        if (_byNamespace.TryGetValue(ns, out var pods) && pods.TryGetValue(name, out var known) && known.Uid == uid)
        {
            pods.Remove(name);
            if (pods.Count == 0)
            {
                _byNamespace.Remove(ns);
            }
        }
    }

    public PodFacts? Get(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var pods) ? pods.GetValueOrDefault(name) : null;
}
