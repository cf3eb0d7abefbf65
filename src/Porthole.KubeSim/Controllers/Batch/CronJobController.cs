using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Server;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Batch;

/// <summary>
/// The CronJob controller: at each scheduled minute (by the injected TimeProvider) creates the Job
/// &lt;cronjob&gt;-&lt;unix minutes&gt;, honouring concurrencyPolicy, suspend and startingDeadlineSeconds;
/// keeps status.active, lastScheduleTime and lastSuccessfulTime, and prunes finished Jobs past the history limits.
/// </summary>
internal sealed partial class CronJobController : KeyedControllerLoop
{
    public const string Component = "cronjob-controller";
    private const string ScheduledAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private readonly ControllerObjects _objects;
    private readonly ResourceType _cronJobs;
    private readonly ResourceType _jobs;
    private readonly HashSet<string> _sawCompleted = new(StringComparer.Ordinal);

    public CronJobController(KubeSimContext sim, ILogger logger)
        : base(sim.Store, sim.Time, logger, JobController.Find(sim, "batch", "cronjobs"), JobController.Find(sim, "batch", "jobs"))
    {
        _objects = new ControllerObjects(sim);
        _cronJobs = JobController.Find(sim, "batch", "cronjobs");
        _jobs = JobController.Find(sim, "batch", "jobs");
    }

    protected override void Observe(WatchEvent e)
    {
        if (e.StorageKey == _cronJobs.StorageKey)
        {
            Dirty.Add(e.Object.Namespace + "/" + e.Object.Name);
            return;
        }

        var owner = e.Object.Parse().Arr("metadata", "ownerReferences")?.OfType<JsonObject>()
            .FirstOrDefault(o => o.Bool("controller") == true && o.Str("kind") == "CronJob");
        if (owner?.Str("name") is { } name)
        {
            Dirty.Add(e.Object.Namespace + "/" + name);
        }
    }

    protected override void SyncKey(string key, string ns, string name, DateTimeOffset now)
    {
        var cj = Store.Get(_cronJobs, ns, name)?.Parse();
        if (cj is null || cj.Str("metadata", "deletionTimestamp") is not null)
        {
            Wake.Remove(key);
            return;
        }

        var uid = cj.Uid();
        var jobs = Store.All(_jobs, ns).Select(j => j.Parse())
            .Where(j => ControllerObjects.ControllerUid(j, "CronJob") == uid && j.Str("metadata", "deletionTimestamp") is null)
            .OrderBy(j => j.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).ThenBy(j => j.Name(), StringComparer.Ordinal)
            .ToList();
        var status = cj.Obj("status")?.DeepClone().AsObject() ?? [];
        foreach (var job in jobs.Where(j => FinishedAs(j) is not null && _sawCompleted.Add(j.Uid())))
        {
            _objects.Event(cj, "Normal", "SawCompletedJob", $"Saw completed job: {job.Name()}, condition: {FinishedAs(job)}", Component);
            if (FinishedAs(job) == "Complete" && job.Str("status", "completionTime") is { } completed
                && string.CompareOrdinal(completed, status.Str("lastSuccessfulTime") ?? "") > 0)
            {
                status["lastSuccessfulTime"] = completed;
            }
        }

        var active = jobs.Where(j => FinishedAs(j) is null).ToList();
        PruneHistory(cj, jobs, "Complete", cj.Long("spec", "successfulJobsHistoryLimit") ?? 3);
        PruneHistory(cj, jobs, "Failed", cj.Long("spec", "failedJobsHistoryLimit") ?? 1);

        CronSchedule schedule;
        try
        {
            schedule = CronSchedule.Parse(cj.Str("spec", "schedule") ?? "");
        }
        catch (FormatException e)
        {
            _objects.Event(cj, "Warning", "UnparseableSchedule", $"unparseable schedule: \"{cj.Str("spec", "schedule")}\" : {e.Message}", Component);
            WriteStatus(cj, status, active);
            return;
        }

        if (cj.Bool("spec", "suspend") != true && Due(cj, status, schedule, now) is { } scheduled)
        {
            active = Run(cj, status, active, scheduled);
        }

        WriteStatus(cj, status, active);
        if (schedule.Next(now) is { } next)
        {
            Wake[key] = next;
        }
    }

    /// <summary>The latest scheduled time since the last run that is due and not past startingDeadlineSeconds.</summary>
    private static DateTimeOffset? Due(JsonObject cj, JsonObject status, CronSchedule schedule, DateTimeOffset now)
    {
        var since = SimFormat.ParseTime(status.Str("lastScheduleTime")) ?? SimFormat.ParseTime(cj.Str("metadata", "creationTimestamp")) ?? now;
        DateTimeOffset? latest = null;
        for (var t = schedule.Next(since); t is { } at && at <= now; t = schedule.Next(at))
        {
            latest = at;
        }

        if (latest is { } due && cj.Long("spec", "startingDeadlineSeconds") is { } deadline && due < now - TimeSpan.FromSeconds(deadline))
        {
            return null;
        }

        return latest;
    }

    /// <summary>Starts the scheduled Job, as concurrencyPolicy allows; returns the active jobs afterwards.</summary>
    private List<JsonObject> Run(JsonObject cj, JsonObject status, List<JsonObject> active, DateTimeOffset scheduled)
    {
        var policy = cj.Str("spec", "concurrencyPolicy") ?? "Allow";
        if (policy == "Forbid" && active.Count > 0)
        {
            _objects.Event(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", Component);
            return active;
        }

        if (policy == "Replace")
        {
            foreach (var old in active)
            {
                DeleteJob(cj, old);
            }

            active = [];
        }

        var name = $"{cj.Name()}-{(scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture)}";
        var template = cj.Obj("spec", "jobTemplate")?.DeepClone().AsObject() ?? [];
        var annotations = template.Obj("metadata", "annotations")?.DeepClone().AsObject() ?? [];
        annotations[ScheduledAnnotation] = SimFormat.Time(scheduled);
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = cj.Namespace(),
            ["labels"] = template.Obj("metadata", "labels")?.DeepClone() ?? new JsonObject(),
            ["annotations"] = annotations,
            ["ownerReferences"] = new JsonArray(ControllerObjects.OwnerReference(cj, "batch/v1", "CronJob")),
        };
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = template.Obj("spec")?.DeepClone() ?? new JsonObject(),
        };
        try
        {
            active.Add(_objects.Create(_jobs, job));
            _objects.Event(cj, "Normal", "SuccessfulCreate", $"Created job {name}", Component);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // already created for this minute
        }

        status["lastScheduleTime"] = SimFormat.Time(scheduled);
        return active;
    }

    private void PruneHistory(JsonObject cj, List<JsonObject> jobs, string finishedAs, long limit)
    {
        var finished = jobs.Where(j => FinishedAs(j) == finishedAs).ToList();
        foreach (var old in finished.Take(Math.Max(0, finished.Count - (int)limit)))
        {
            DeleteJob(cj, old);
        }
    }

    private void DeleteJob(JsonObject cj, JsonObject job)
    {
        try
        {
            _objects.Sim.Controllers.Deleter.Delete(_jobs, job.Namespace(), job.Name(), DeleteOptions.Default with { Propagation = DeleteOptions.Background, PreconditionUid = job.Uid() });
            _objects.Event(cj, "Normal", "SuccessfulDelete", $"Deleted job {job.Name()}", Component);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // already gone
        }
    }

    private void WriteStatus(JsonObject cj, JsonObject status, List<JsonObject> active)
    {
        if (active.Count > 0)
        {
            status["active"] = new JsonArray([.. active.Select(j => (JsonNode)new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "Job",
                ["name"] = j.Name(),
                ["namespace"] = j.Namespace(),
                ["resourceVersion"] = j.ResourceVersion(),
                ["uid"] = j.Uid(),
            })]);
        }
        else
        {
            status.Remove("active");
        }

        var uid = cj.Uid();
        var wanted = status.ToJsonString();
        Store.Mutate(_cronJobs, cj.Namespace(), cj.Name(), c =>
        {
            if (c.Uid() != uid || (c["status"]?.ToJsonString() ?? "{}") == wanted)
            {
                return false;
            }

            c["status"] = JsonNode.Parse(wanted);
            return true;
        });
    }

    private static string? FinishedAs(JsonObject job) =>
        job.Arr("status", "conditions")?.OfType<JsonObject>()
            .FirstOrDefault(c => c.Str("type") is "Complete" or "Failed" && c.Str("status") == "True")?.Str("type");
}
