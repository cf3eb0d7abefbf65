using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Kubelet;

public sealed partial class SimKubelet
{
    private readonly HashSet<string> _pulled = new(StringComparer.Ordinal);

    /// <summary>Takes over a pod already bound to a node (created with nodeName, or seen on relist).</summary>
    private void Adopt(string key, JsonObject pod, string nodeName)
    {
        var node = _nodeView.Find(nodeName);
        if (node is null)
        {
            return;
        }

        var uid = pod.Uid();
        var phase = pod.Str("status", "phase");
        if (phase is "Running" or "Succeeded" or "Failed")
        {
            _tracked[key] = new Tracked(uid, nodeName, node.Claim(pod.Str("status", "podIP"))) { Stage = Stage.Running };
            return;
        }

        var tracked = new Tracked(uid, nodeName, node.Allocate()) { Stage = Stage.Starting };
        _tracked[key] = tracked;
        var now = _time.GetUtcNow();
        var rv = TryMutate(key, uid, p =>
        {
            PodStatuses.Pending(p, node.HostIp, now, scheduledAt: null);
            return true;
        });
        if (rv is null)
        {
            Forget(key);
            return;
        }

        tracked.WrittenRv = rv.Value;
        Enqueue(DueKind.Start, key, uid, now + StartDelay(uid));
    }

    /// <summary>Pulls, creates and starts every container: the pod becomes Running and Ready.</summary>
    private void StartContainers(string key, Tracked tracked, DateTimeOffset now)
    {
        if (tracked.Stage != Stage.Starting)
        {
            return;
        }

        var node = _nodeView.Find(tracked.Node);
        var hostIp = node?.HostIp ?? "";
        var podIp = node?.PodIp(tracked.HostNumber) ?? "";
        JsonObject? started = null;
        List<ContainerRun>? runs = null;
        var rv = TryMutate(key, tracked.Uid, p =>
        {
            if (p.Str("metadata", "deletionTimestamp") is not null)
            {
                return false;
            }

            PodStatuses.Running(p, hostIp, podIp, now);
            runs = PlanRuns(p);
            if (runs is not null)
            {
                PrimeRuns(runs, now);
                PodStatuses.ApplyRuns(p, runs, now);
            }

            started = p;
            return true;
        });
        if (rv is null || started is null)
        {
            return;
        }

        tracked.Stage = Stage.Running;
        tracked.WrittenRv = rv.Value;
        var pref = PodRef.Of(started) with { ResourceVersion = rv.Value.ToString(CultureInfo.InvariantCulture) };
        foreach (var (field, container) in SimContainers.Containers(started, "initContainers").Select(c => ("initContainers", c))
            .Concat(SimContainers.Containers(started, "containers").Select(c => ("containers", c))))
        {
            if (!(container.Str("image") ?? "").Contains("pull-fail", StringComparison.Ordinal) || runs is null)
            {
                RecordStartEvents(pref, tracked.Node, field, container, now);
            }
        }

        if (runs is not null)
        {
            StartRuns(key, tracked, started, runs, now);
        }
    }

    private void RecordStartEvents(PodRef pod, string node, string field, JsonObject container, DateTimeOffset now)
    {
        var name = container.Str("name") ?? "";
        var image = container.Str("image") ?? "";
        var fieldPath = $"spec.{field}{{{name}}}";
        var policy = container.Str("imagePullPolicy") ?? DefaultPullPolicy(image);
        var kubelet = EventRecorder.KubeletComponent;
        if (policy != "Always" && !_pulled.Add(node + " " + image))
        {
            _events.Record(pod, fieldPath, "Normal", "Pulled", $"Container image \"{image}\" already present on machine", kubelet, node, now);
        }
        else
        {
            _pulled.Add(node + " " + image);
            var hash = SimFormat.Hash(image);
            var seconds = (0.4 + (SimFormat.Unit(SimFormat.Mix(hash, 2)) * 4)).ToString("0.###", CultureInfo.InvariantCulture);
            var size = (5_000_000 + (long)(SimFormat.Unit(SimFormat.Mix(hash, 3)) * 180_000_000)).ToString(CultureInfo.InvariantCulture);
            _events.Record(pod, fieldPath, "Normal", "Pulling", $"Pulling image \"{image}\"", kubelet, node, now);
            _events.Record(pod, fieldPath, "Normal", "Pulled", $"Successfully pulled image \"{image}\" in {seconds}s ({seconds}s including waiting). Image size: {size} bytes.", kubelet, node, now);
        }

        _events.Record(pod, fieldPath, "Normal", "Created", $"Created container {name}", kubelet, node, now);
        _events.Record(pod, fieldPath, "Normal", "Started", $"Started container {name}", kubelet, node, now);
    }

    private static string DefaultPullPolicy(string image)
    {
        var name = image.Contains('@', StringComparison.Ordinal) ? "" : image[(image.LastIndexOf('/') + 1)..];
        return name.Length > 0 && (!name.Contains(':', StringComparison.Ordinal) || name.EndsWith(":latest", StringComparison.Ordinal)) ? "Always" : "IfNotPresent";
    }

    /// <summary>A pod got a deletionTimestamp: stop its containers, remove it after the (capped) grace period.</summary>
    private void BeginTermination(string key, JsonObject pod)
    {
        var uid = pod.Uid();
        var now = _time.GetUtcNow();
        _unschedulable.Remove(key);
        _tracked.TryGetValue(key, out var tracked);
        if (tracked?.Stage == Stage.Terminating)
        {
            return;
        }

        var nodeName = pod.Str("spec", "nodeName") ?? "";
        var seconds = pod.Long("metadata", "deletionGracePeriodSeconds") ?? pod.Long("spec", "terminationGracePeriodSeconds") ?? 30;
        var grace = TimeSpan.FromSeconds(Math.Max(0, seconds));
        grace = grace < _options.MaxGracePeriod ? grace : _options.MaxGracePeriod;
        if (tracked is null || nodeName.Length == 0 || grace <= TimeSpan.Zero)
        {
            var (ns, name) = Split(key);
            _store.Remove(_pods, ns, name, uid);
            return;
        }

        tracked.Stage = Stage.Terminating;
        var running = pod.Str("status", "phase") == "Running";
        // as the kubelet: Killing is announced before the containers' terminated status is written
        if (running)
        {
            var pref = PodRef.Of(pod);
            foreach (var c in SimContainers.Containers(pod, "containers"))
            {
                var name = c.Str("name") ?? "";
                _events.Record(pref, $"spec.containers{{{name}}}", "Normal", "Killing", $"Stopping container {name}", EventRecorder.KubeletComponent, nodeName, now);
            }
        }

        // a pod that already finished keeps its containers' exit codes and its phase
        var rv = pod.Str("status", "phase") is "Succeeded" or "Failed" ? null : TryMutate(key, uid, p =>
        {
            PodStatuses.Terminated(p, now);
            return true;
        });
        if (rv is not null)
        {
            tracked.WrittenRv = rv.Value;
        }

        Enqueue(DueKind.Remove, key, uid, now + grace);
    }
}
