using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Kubelet;

public sealed partial class SimKubelet
{
    private static readonly TimeSpan PullFailureToBackOff = TimeSpan.FromSeconds(1);

    /// <summary>The runs of a pod when any container crashes, fails to pull or finishes; null when all run forever.</summary>
    private List<ContainerRun>? PlanRuns(JsonObject pod)
    {
        var policy = pod.Str("spec", "restartPolicy") ?? "Always";
        var runs = SimContainers.Containers(pod, "containers")
            .Select(c => new ContainerRun(c.Str("name") ?? "", c.Str("image") ?? "", ContainerFate.Of(c, policy, _options)))
            .ToList();
        return runs.Any(r => r.Fate.Kind != FateKind.Forever) ? runs : null;
    }

    /// <summary>The first attempt's states, written with the pod's start: running, or a failed pull.</summary>
    private static void PrimeRuns(List<ContainerRun> runs, DateTimeOffset now)
    {
        foreach (var run in runs)
        {
            if (run.Fate.Kind == FateKind.PullFail)
            {
                run.PullFailures = 1;
                run.State = Waiting("ErrImagePull", PullError(run));
            }
            else
            {
                Begin(run, now);
            }
        }
    }

    /// <summary>After the start was written: the events of failed pulls and the timers of containers that will exit.</summary>
    private void StartRuns(string key, Tracked tracked, JsonObject pod, List<ContainerRun> runs, DateTimeOffset now)
    {
        tracked.Runs = runs;
        tracked.RestartPolicy = pod.Str("spec", "restartPolicy") ?? "Always";
        var pref = PodRef.Of(pod);
        foreach (var run in runs)
        {
            if (run.Fate.Kind == FateKind.PullFail)
            {
                RecordPullFailure(pref, tracked, run, now);
            }
            else if (run.Fate.Kind == FateKind.Exit)
            {
                Enqueue(DueKind.Exit, key, tracked.Uid, now + run.Fate.RunFor, run.Name);
            }
        }
    }

    /// <summary>A due step of one container: exit, restart after back-off, or the next pull attempt.</summary>
    private void StepContainer(Due due, Tracked tracked, DateTimeOffset now)
    {
        var run = tracked.Runs?.FirstOrDefault(r => r.Name == due.Container);
        if (run is null || tracked.Stage != Stage.Running)
        {
            return;
        }

        var (ns, name) = Split(due.Key);
        var pref = new PodRef(ns, name, tracked.Uid, tracked.WrittenRv.ToString(System.Globalization.CultureInfo.InvariantCulture));
        switch (due.Kind)
        {
            case DueKind.Exit:
                Exit(pref, tracked, run, run.Fate.ExitCode, now);
                break;
            case DueKind.Restart:
                Restart(pref, tracked, run, now);
                break;
            case DueKind.PullBackOff:
                run.State = Waiting("ImagePullBackOff", $"Back-off pulling image \"{run.Image}\"");
                _events.Record(pref, FieldPath(run), "Normal", "BackOff", $"Back-off pulling image \"{run.Image}\"", EventRecorder.KubeletComponent, tracked.Node, now);
                _events.Record(pref, FieldPath(run), "Warning", "Failed", "Error: ImagePullBackOff", EventRecorder.KubeletComponent, tracked.Node, now);
                Enqueue(DueKind.PullRetry, due.Key, tracked.Uid, now + BackOff(run.PullFailures), run.Name);
                break;
            case DueKind.PullRetry:
                FailPull(pref, tracked, run, now);
                break;
        }

        WriteRuns(due.Key, tracked, now);
    }

    private void Restart(PodRef pref, Tracked tracked, ContainerRun run, DateTimeOffset now)
    {
        RecordStartEvents(pref, tracked.Node, "containers", new JsonObject { ["name"] = run.Name, ["image"] = run.Image, ["imagePullPolicy"] = "IfNotPresent" }, now);
        Begin(run, now);
        if (run.Fate.Kind == FateKind.Exit)
        {
            Enqueue(DueKind.Exit, pref.Key, tracked.Uid, now + run.Fate.RunFor, run.Name);
        }
    }

    private static void Begin(ContainerRun run, DateTimeOffset now)
    {
        run.EverStarted = true;
        run.Running = true;
        run.StartedAt = now;
        run.State = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = SimFormat.Time(now) } };
    }

    /// <summary>
    /// The main process of an interactive container (see <see cref="FateKind.Interactive"/>), run by an
    /// attach, ended: the container terminates with <paramref name="exitCode"/> and is restarted or not
    /// by the pod's restartPolicy, as a shell that reads EOF ends its container.
    /// </summary>
    public void ReportExit(string podNamespace, string pod, string uid, string container, int exitCode) =>
        _exits.Writer.TryWrite(new ExitReport(podNamespace, pod, uid, container, exitCode));

    /// <summary>An interactive container's main process, run by an attach, ended with <paramref name="report"/>'s code.</summary>
    private void ExitInteractive(ExitReport report, DateTimeOffset now)
    {
        var key = report.Namespace + "/" + report.Pod;
        if (!_tracked.TryGetValue(key, out var tracked) || tracked.Uid != report.Uid || tracked.Stage != Stage.Running
            || tracked.Runs?.FirstOrDefault(r => r.Name == report.Container) is not { Running: true, Fate.Kind: FateKind.Interactive } run)
        {
            return;
        }

        var pref = new PodRef(report.Namespace, report.Pod, tracked.Uid, tracked.WrittenRv.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Exit(pref, tracked, run, report.ExitCode, now);
        WriteRuns(key, tracked, now);
    }

    private void Exit(PodRef pref, Tracked tracked, ContainerRun run, int code, DateTimeOffset now)
    {
        var terminated = TerminatedState(pref.Uid, run, code, now);
        run.Running = false;
        run.ExitCode = code;
        var restart = tracked.RestartPolicy == "Always" || (tracked.RestartPolicy == "OnFailure" && code != 0);
        if (!restart)
        {
            run.Done = true;
            run.State = terminated;
            return;
        }

        run.Restarts++;
        run.Last = terminated;
        var delay = BackOff(run.Restarts);
        var pod = $"{pref.Name}_{pref.Namespace}({pref.Uid})";
        run.State = Waiting("CrashLoopBackOff", $"back-off {GoDuration(delay)} restarting failed container={run.Name} pod={pod}");
        _events.Record(pref, FieldPath(run), "Warning", "BackOff", $"Back-off restarting failed container {run.Name} in pod {pod}", EventRecorder.KubeletComponent, tracked.Node, now);
        Enqueue(DueKind.Restart, pref.Key, tracked.Uid, now + delay, run.Name);
    }

    private void FailPull(PodRef pref, Tracked tracked, ContainerRun run, DateTimeOffset now)
    {
        run.PullFailures++;
        run.State = Waiting("ErrImagePull", PullError(run));
        RecordPullFailure(pref, tracked, run, now);
    }

    private void RecordPullFailure(PodRef pref, Tracked tracked, ContainerRun run, DateTimeOffset now)
    {
        var error = PullError(run);
        var kubelet = EventRecorder.KubeletComponent;
        _events.Record(pref, FieldPath(run), "Normal", "Pulling", $"Pulling image \"{run.Image}\"", kubelet, tracked.Node, now);
        _events.Record(pref, FieldPath(run), "Warning", "Failed", $"Failed to pull image \"{run.Image}\": {error}", kubelet, tracked.Node, now);
        _events.Record(pref, FieldPath(run), "Warning", "Failed", "Error: ErrImagePull", kubelet, tracked.Node, now);
        Enqueue(DueKind.PullBackOff, pref.Key, tracked.Uid, now + (PullFailureToBackOff < _options.BackOffBase ? PullFailureToBackOff : _options.BackOffBase), run.Name);
    }

    private void WriteRuns(string key, Tracked tracked, DateTimeOffset now)
    {
        var runs = tracked.Runs!;
        var rv = TryMutate(key, tracked.Uid, p =>
        {
            if (p.Str("metadata", "deletionTimestamp") is not null)
            {
                return false;
            }

            PodStatuses.ApplyRuns(p, runs, now);
            return true;
        });
        if (rv is not null)
        {
            tracked.WrittenRv = rv.Value;
        }
    }

    /// <summary>The kubelet's exponential back-off: base, doubled per earlier failure, capped.</summary>
    private TimeSpan BackOff(int failures)
    {
        var delay = _options.BackOffBase;
        for (var i = 1; i < failures && delay < _options.BackOffMax; i++)
        {
            delay *= 2;
        }

        return delay < _options.BackOffMax ? delay : _options.BackOffMax;
    }

    private static JsonObject TerminatedState(string podUid, ContainerRun run, int code, DateTimeOffset now) =>
        PodStatuses.TerminatedState(SimContainers.ContainerId(podUid, run.Name, run.Restarts), code, run.StartedAt, now);

    private static string PullError(ContainerRun run)
    {
        var full = SimContainers.FullImage(run.Image);
        return $"rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found";
    }

    private static JsonObject Waiting(string reason, string message) =>
        new() { ["waiting"] = new JsonObject { ["message"] = message, ["reason"] = reason } };

    private static string FieldPath(ContainerRun run) => $"spec.containers{{{run.Name}}}";

    /// <summary>A duration as Go prints it: 10s, 1m20s, 5m0s.</summary>
    private static string GoDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (d < TimeSpan.FromSeconds(1))
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0.###}ms");
        }

        if (seconds < 60)
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.###}s");
        }

        return seconds < 3600 ? $"{seconds / 60}m{seconds % 60}s" : $"{seconds / 3600}h{seconds / 60 % 60}m{seconds % 60}s";
    }

    private sealed record ExitReport(string Namespace, string Pod, string Uid, string Container, int ExitCode);
}
