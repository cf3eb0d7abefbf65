using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Kubelet;

/// <summary>Writes core/v1 Events about pods the way the scheduler and kubelet record them.</summary>
internal sealed class EventRecorder(ObjectStore store, ResourceType eventsType, bool enabled)
{
    public const string Scheduler = "default-scheduler";
    public const string KubeletComponent = "kubelet";

    private long _sequence;

    /// <summary>Records one event about a pod (optionally about one of its containers via fieldPath).</summary>
    public void Record(PodRef pod, string? fieldPath, string type, string reason, string message, string component, string host, DateTimeOffset now)
    {
        if (!enabled)
        {
            return;
        }

        var at = SimFormat.Time(now);
        var unique = (now.ToUnixTimeMilliseconds() * 1_000_000) + Interlocked.Increment(ref _sequence);
        var involved = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = pod.Namespace,
            ["name"] = pod.Name,
            ["uid"] = pod.Uid,
            ["apiVersion"] = "v1",
            ["resourceVersion"] = pod.ResourceVersion,
        };
        if (fieldPath is not null)
        {
            involved["fieldPath"] = fieldPath;
        }

        var source = new JsonObject { ["component"] = component };
        if (host.Length > 0)
        {
            source["host"] = host;
        }

        var name = $"{pod.Name}.{unique.ToString("x", CultureInfo.InvariantCulture)}";
        var evt = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = pod.Namespace,
                ["uid"] = SimFormat.Uuid("event", pod.Namespace, name),
                ["creationTimestamp"] = at,
            },
            ["involvedObject"] = involved,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = source,
            ["firstTimestamp"] = at,
            ["lastTimestamp"] = at,
            ["count"] = 1,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = component,
            ["reportingInstance"] = component == Scheduler ? $"{Scheduler}-{SimNodes.Name(1)}" : host,
        };
        try
        {
            store.Create(eventsType, evt);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // a name clash is as harmless as the real recorder's dropped event
        }
    }
}

/// <summary>The identity of a pod that events and status writes refer to.</summary>
internal sealed record PodRef(string Namespace, string Name, string Uid, string ResourceVersion)
{
    public string Key => Namespace + "/" + Name;

    public static PodRef Of(JsonObject pod) => new(pod.Namespace(), pod.Name(), pod.Uid(), pod.ResourceVersion());
}
