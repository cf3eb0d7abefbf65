using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Server;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Batch;

/// <summary>
/// The Job controller: runs a Job's pods (completions, parallelism, Indexed mode), counts
/// successes and failures, fails it past backoffLimit or activeDeadlineSeconds, completes it,
/// suspends and resumes it, and deletes it ttlSecondsAfterFinished after it finished.
/// </summary>
internal sealed partial class JobController : KeyedControllerLoop
{
    public const string Component = "job-controller";
    private static readonly TimeSpan MaxPodBackOff = TimeSpan.FromMinutes(6);

    private readonly ControllerObjects _objects;
    private readonly ResourceType _jobs;
    private readonly ResourceType _pods;
    private readonly TimeSpan _backOffBase;
    private readonly Dictionary<string, (long Failed, DateTimeOffset At)> _lastFailure = new(StringComparer.Ordinal);

    public JobController(KubeSimContext sim, ILogger logger, TimeSpan podBackOffBase)
        : base(sim.Store, sim.Time, logger, Find(sim, "batch", "jobs"), Find(sim, "", "pods"))
    {
        _objects = new ControllerObjects(sim);
        _jobs = Find(sim, "batch", "jobs");
        _pods = Find(sim, "", "pods");
        _backOffBase = podBackOffBase;
    }

    internal static ResourceType Find(KubeSimContext sim, string group, string plural) =>
        sim.Registry.Find(group, "v1", plural)
            ?? throw new InvalidOperationException($"{plural} are not registered");

    protected override void Observe(WatchEvent e)
    {
        if (e.StorageKey == _jobs.StorageKey)
        {
            Dirty.Add(e.Object.Namespace + "/" + e.Object.Name);
            return;
        }

        var owner = e.Object.Parse().Arr("metadata", "ownerReferences")?.OfType<JsonObject>()
            .FirstOrDefault(o => o.Bool("controller") == true && o.Str("kind") == "Job" && (o.Str("apiVersion") ?? "").StartsWith("batch/", StringComparison.Ordinal));
        if (owner?.Str("name") is { } job)
        {
            Dirty.Add(e.Object.Namespace + "/" + job);
        }
    }

    protected override void SyncKey(string key, string ns, string name, DateTimeOffset now)
    {
        var stored = Store.Get(_jobs, ns, name);
        if (stored is null)
        {
            Wake.Remove(key);
            _lastFailure.Remove(key);
            return;
        }

        var job = stored.Parse();
        if (job.Str("metadata", "deletionTimestamp") is not null || EnsureSelector(job))
        {
            return;
        }

        var uid = job.Uid();
        var pods = Store.All(_pods, ns).Select(p => p.Parse()).Where(p => ControllerObjects.ControllerUid(p, "Job") == uid).ToList();
        var status = job.Obj("status")?.DeepClone().AsObject() ?? [];
        if (Finished(status) is { } finishedAt)
        {
            DeleteActive(job, pods, announce: false);
            ExpireAfterFinished(key, job, finishedAt, now);
            return;
        }

        Reconcile(key, job, pods, status, now);
    }

    /// <summary>What the API server sets on create: the selector on the job's uid and the template labels it matches.</summary>
    private bool EnsureSelector(JsonObject job)
    {
        if (job.Obj("spec", "selector") is not null)
        {
            return false;
        }

        var uid = job.Uid();
        var name = job.Name();
        Store.Mutate(_jobs, job.Namespace(), name, j =>
        {
            if (j.Uid() != uid || j.Obj("spec", "selector") is not null)
            {
                return false;
            }

            j.Set(["spec", "selector"], new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } });
            var labels = j.Obj("spec", "template", "metadata", "labels") ?? [];
            foreach (var (k, v) in JobLabels(uid, name))
            {
                labels[k] = v;
            }

            j.Set(["spec", "template", "metadata", "labels"], labels);
            return true;
        });
        return true;
    }

    private static IEnumerable<(string, string)> JobLabels(string uid, string name) =>
    [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name),
        ("controller-uid", uid),
        ("job-name", name),
    ];

    /// <summary>ttlSecondsAfterFinished: deletes the finished job (and, in the background, its pods) once it expired.</summary>
    private void ExpireAfterFinished(string key, JsonObject job, DateTimeOffset finishedAt, DateTimeOffset now)
    {
        if (job.Long("spec", "ttlSecondsAfterFinished") is not { } ttl)
        {
            return;
        }

        var expires = finishedAt + TimeSpan.FromSeconds(ttl);
        if (now < expires)
        {
            Wake[key] = expires;
            return;
        }

        _objects.Sim.Controllers.Deleter.Delete(_jobs, job.Namespace(), job.Name(), DeleteOptions.Default with { Propagation = DeleteOptions.Background, PreconditionUid = job.Uid() });
    }

    private static DateTimeOffset? Finished(JsonObject status) =>
        (status.Arr("conditions")?.OfType<JsonObject>() ?? [])
            .Where(c => c.Str("type") is "Complete" or "Failed" && c.Str("status") == "True")
            .Select(c => Kubelet.SimFormat.ParseTime(status.Str("completionTime") ?? c.Str("lastTransitionTime")))
            .FirstOrDefault(t => t is not null);
}
