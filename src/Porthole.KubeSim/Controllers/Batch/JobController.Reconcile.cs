using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Controllers.Batch;

internal sealed partial class JobController
{
    private const int MaxCreatesPerSync = 500;

    /// <summary>One pass over an unfinished job: suspend, fail, complete, or create and delete pods; then write status.</summary>
    private void Reconcile(string key, JsonObject job, List<JsonObject> pods, JsonObject status, DateTimeOffset now)
    {
        var spec = job.Obj("spec") ?? [];
        var active = pods.Where(IsActive).ToList();
        var succeededPods = pods.Where(p => p.Str("status", "phase") == "Succeeded").ToList();
        var failedPods = pods.Count(p => p.Str("status", "phase") == "Failed");
        var succeeded = Math.Max(status.Long("succeeded") ?? 0, succeededPods.Count);
        var failed = Math.Max(status.Long("failed") ?? 0, failedPods);
        var at = SimFormat.Time(now);
        var indexed = spec.Str("completionMode") == "Indexed";
        var completions = spec.Long("completions");

        if (spec.Bool("suspend") == true)
        {
            failed += DeleteActive(job, pods, announce: true);
            if (SetCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", at))
            {
                _objects.Event(job, "Normal", "Suspended", "Job suspended", Component);
            }

            status.Remove("startTime");
            WriteStatus(job, status, 0, succeeded, failed, 0, pods, indexed);
            return;
        }

        if (status.Arr("conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Suspended" && c.Str("status") == "True") == true)
        {
            SetCondition(status, "Suspended", "False", "JobResumed", "Job resumed", at);
            _objects.Event(job, "Normal", "Resumed", "Job resumed", Component);
            status["startTime"] = at;
        }

        status["startTime"] ??= at;
        var startTime = SimFormat.ParseTime(status.Str("startTime")) ?? now;
        var failure = FailureOf(job, spec, pods, failed, startTime, now, key);
        if (failure is { } f)
        {
            failed += DeleteActive(job, pods, announce: true);
            SetCondition(status, "Failed", "True", f.Reason, f.Message, at);
            _objects.Event(job, "Warning", f.Reason, f.Message, Component);
            WriteStatus(job, status, 0, succeeded, failed, 0, pods, indexed);
            return;
        }

        var done = indexed && completions is { } n
            ? CompletedIndexes(succeededPods).Count >= n
            : completions is { } c ? succeeded >= c : succeeded > 0 && active.Count == 0;
        if (done)
        {
            DeleteActive(job, pods, announce: true);
            SetCondition(status, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", at);
            status["completionTime"] = at;
            _objects.Event(job, "Normal", "Completed", "Job completed", Component);
            WriteStatus(job, status, 0, succeeded, failed, 0, pods, indexed);
            return;
        }

        var parallelism = spec.Long("parallelism") ?? 1;
        var want = completions is { } total ? Math.Min(parallelism, total - succeeded) : succeeded > 0 ? 0 : parallelism;
        var activeNow = (long)active.Count;
        if (active.Count < want && PodBackOffOver(key, failed, now))
        {
            activeNow += CreatePods(job, active, succeededPods, (int)Math.Min(want - active.Count, MaxCreatesPerSync), indexed, completions ?? 0);
        }
        else if (active.Count > want)
        {
            foreach (var extra in active.OrderByDescending(p => p.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).Take(active.Count - (int)want))
            {
                DeletePod(job, extra, announce: true);
                activeNow--;
            }
        }

        var ready = active.Count(p => p.Arr("status", "conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true);
        WriteStatus(job, status, activeNow, succeeded, failed, ready, pods, indexed);
        if (job.Long("spec", "activeDeadlineSeconds") is { } deadline)
        {
            Wake[key] = startTime + TimeSpan.FromSeconds(deadline);
        }
    }

    /// <summary>Why the job failed, if it did: the backoff limit or the active deadline.</summary>
    private (string Reason, string Message)? FailureOf(JsonObject job, JsonObject spec, List<JsonObject> pods, long failed, DateTimeOffset startTime, DateTimeOffset now, string key)
    {
        var limit = spec.Long("backoffLimit") ?? 6;
        var restarts = spec.Str("template", "spec", "restartPolicy") == "OnFailure"
            ? pods.Sum(p => p.Arr("status", "containerStatuses")?.OfType<JsonObject>().Sum(s => s.Long("restartCount") ?? 0) ?? 0)
            : -1;
        if (failed > limit || (restarts >= 0 && (limit == 0 ? restarts > 0 : restarts >= limit)))
        {
            return ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }

        if (job.Long("spec", "activeDeadlineSeconds") is { } deadline && now >= startTime + TimeSpan.FromSeconds(deadline))
        {
            Wake.Remove(key);
            return ("DeadlineExceeded", "Job was active longer than specified deadline");
        }

        return null;
    }

    /// <summary>The pod failure back-off: a failed pod is replaced 10s, 20s, 40s... (up to 6 minutes) after the last failure.</summary>
    private bool PodBackOffOver(string key, long failed, DateTimeOffset now)
    {
        if (failed == 0)
        {
            return true;
        }

        if (!_lastFailure.TryGetValue(key, out var last) || last.Failed != failed)
        {
            last = (failed, now);
            _lastFailure[key] = last;
        }

        var delay = _backOffBase;
        for (var i = 1; i < failed && delay < MaxPodBackOff; i++)
        {
            delay *= 2;
        }

        var due = last.At + (delay < MaxPodBackOff ? delay : MaxPodBackOff);
        if (now >= due)
        {
            return true;
        }

        Wake[key] = due;
        return false;
    }

    private void WriteStatus(JsonObject job, JsonObject status, long active, long succeeded, long failed, long ready, List<JsonObject> pods, bool indexed)
    {
        status["active"] = active;
        status["succeeded"] = succeeded;
        status["failed"] = failed;
        status["ready"] = ready;
        status["terminating"] = pods.Count(p => p.Str("metadata", "deletionTimestamp") is not null && p.Str("status", "phase") is not ("Succeeded" or "Failed"));
        status["uncountedTerminatedPods"] = new JsonObject();
        if (indexed)
        {
            status["completedIndexes"] = Ranges(CompletedIndexes(pods.Where(p => p.Str("status", "phase") == "Succeeded")));
        }

        foreach (var zero in new[] { "active", "succeeded", "failed", "terminating" })
        {
            if (status.Long(zero) == 0)
            {
                status.Remove(zero);
            }
        }

        var uid = job.Uid();
        var wanted = status.ToJsonString();
        Store.Mutate(_jobs, job.Namespace(), job.Name(), j =>
        {
            if (j.Uid() != uid || (j["status"]?.ToJsonString() ?? "") == wanted)
            {
                return false;
            }

            j["status"] = JsonNode.Parse(wanted);
            return true;
        });
    }

    /// <summary>Sets a job condition; false when it already had that status.</summary>
    private static bool SetCondition(JsonObject status, string type, string value, string reason, string message, string at)
    {
        var list = status.Arr("conditions") ?? [];
        var existing = list.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        if (existing is not null && existing.Str("status") == value)
        {
            return false;
        }

        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastProbeTime"] = at,
            ["lastTransitionTime"] = at,
            ["reason"] = reason,
            ["message"] = message,
        };
        if (existing is not null)
        {
            list[list.IndexOf(existing)] = condition;
        }
        else
        {
            list.Add(condition);
        }

        status["conditions"] = list.DeepClone();
        return true;
    }

    private static bool IsActive(JsonObject pod) =>
        pod.Str("status", "phase") is not ("Succeeded" or "Failed") && pod.Str("metadata", "deletionTimestamp") is null;

    private static SortedSet<long> CompletedIndexes(IEnumerable<JsonObject> succeeded) =>
        [.. succeeded.Select(Index).Where(i => i >= 0)];

    private static long Index(JsonObject pod) =>
        long.TryParse(pod.Annotations().GetValueOrDefault("batch.kubernetes.io/job-completion-index"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : -1;

    /// <summary>Indexes as the job controller prints them: "0-2,5".</summary>
    private static string Ranges(SortedSet<long> indexes)
    {
        var parts = new List<string>();
        long? start = null;
        long prev = -2;
        foreach (var i in indexes.Append(long.MaxValue))
        {
            if (i != prev + 1)
            {
                if (start is { } s)
                {
                    parts.Add(s == prev ? s.ToString(CultureInfo.InvariantCulture) : $"{s.ToString(CultureInfo.InvariantCulture)}-{prev.ToString(CultureInfo.InvariantCulture)}");
                }

                start = i;
            }

            prev = i;
        }

        return string.Join(',', parts);
    }
}
