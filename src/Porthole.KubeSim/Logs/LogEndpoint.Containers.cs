using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Logs;

public static partial class LogEndpoint
{
    /// <summary>Picks the container as the API server does (LogLocation): the only one, or the named one.</summary>
    public static string ResolveContainer(JsonObject pod, string? requested)
    {
        var name = pod.Name();
        var mains = Names(pod, "containers");
        if (requested is null)
        {
            switch (mains.Count)
            {
                case 1:
                    return mains[0];
                case 0:
                    throw ApiException.BadRequest($"a container name must be specified for pod {name}");
                default:
                    var message = $"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', mains)}]";
                    var inits = Names(pod, "initContainers");
                    if (inits.Count > 0)
                    {
                        message += $" or one of the init containers: [{string.Join(' ', inits)}]";
                    }

                    throw ApiException.BadRequest(message);
            }
        }

        if (!mains.Contains(requested) && !Names(pod, "initContainers").Contains(requested) && !Names(pod, "ephemeralContainers").Contains(requested))
        {
            throw ApiException.BadRequest($"container {requested} is not valid for pod {name}");
        }

        return requested;
    }

    /// <summary>
    /// Which container instance to read, as the kubelet decides (validateContainerLogStatus):
    /// the previous terminated one, the running one, or the last terminated one. End is null while it runs.
    /// </summary>
    public static (LogSource Source, DateTimeOffset? End) ResolveInstance(JsonObject pod, string container, bool previous)
    {
        var podName = pod.Name();
        var status = FindStatus(pod, container)
            ?? throw ApiException.BadRequest($"container \"{container}\" in pod \"{podName}\" is not available");
        var last = status.Obj("lastState", "terminated");
        var running = status.Obj("state", "running");
        var terminated = status.Obj("state", "terminated");
        var waiting = status.Obj("state", "waiting");
        if (previous)
        {
            return last is null
                ? throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{podName}\" not found")
                : Finished(pod, container, last);
        }

        if (running is not null)
        {
            return (new LogSource(pod.Uid(), container, Time(running, "startedAt")), null);
        }

        if (terminated is not null)
        {
            return Finished(pod, container, terminated);
        }

        if (last is not null)
        {
            return Finished(pod, container, last);
        }

        var reason = waiting.Str("reason") ?? "";
        var why = reason switch
        {
            "ErrImagePull" => "image can't be pulled",
            "ImagePullBackOff" => "trying and failing to pull image",
            _ => reason,
        };
        throw ApiException.BadRequest(waiting is null
            ? $"container \"{container}\" in pod \"{podName}\" is not available"
            : $"container \"{container}\" in pod \"{podName}\" is waiting to start: {why}");
    }

    private static (LogSource, DateTimeOffset?) Finished(JsonObject pod, string container, JsonObject terminated)
    {
        var start = Time(terminated, "startedAt");
        var end = SimFormat.ParseTime(terminated.Str("finishedAt")) ?? start;
        return (new LogSource(pod.Uid(), container, start), end < start ? start : end);
    }

    private static DateTimeOffset Time(JsonObject state, string field) =>
        SimFormat.ParseTime(state.Str(field)) ?? DateTimeOffset.UnixEpoch;

    private static JsonObject? FindStatus(JsonObject pod, string container)
    {
        foreach (var field in new[] { "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses" })
        {
            var found = pod.Arr("status", field)?.OfType<JsonObject>().FirstOrDefault(s => s.Str("name") == container);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static List<string> Names(JsonObject pod, string field) =>
        [.. SimContainers.Containers(pod, field).Select(c => c.Str("name") ?? "")];
}
