using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers;

/// <summary>Writes core/v1 Events about the objects a controller manages, as kube-controller-manager's event recorders do.</summary>
internal sealed class ControllerEvents(ObjectStore store, ResourceType eventsType)
{
    private long _sequence;

    public void Normal(JsonObject involved, string component, string reason, string message, DateTimeOffset now) =>
        Record(involved, component, "Normal", reason, message, now);

    /// <summary>Records one Event of <paramref name="type"/> (Normal or Warning) about <paramref name="involved"/>.</summary>
    public void Record(JsonObject involved, string component, string type, string reason, string message, DateTimeOffset now)
    {
        var at = Server.ObjectRules.Timestamp(now);
        var unique = (now.ToUnixTimeMilliseconds() * 1_000_000) + Interlocked.Increment(ref _sequence);
        var name = $"{involved.Name()}.{unique.ToString("x", CultureInfo.InvariantCulture)}";
        var evt = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = involved.Namespace(),
                ["uid"] = Guid.NewGuid().ToString(),
                ["creationTimestamp"] = at,
            },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = involved.Str("kind"),
                ["namespace"] = involved.Namespace(),
                ["name"] = involved.Name(),
                ["uid"] = involved.Uid(),
                ["apiVersion"] = involved.Str("apiVersion"),
                ["resourceVersion"] = involved.ResourceVersion(),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = new JsonObject { ["component"] = component },
            ["firstTimestamp"] = at,
            ["lastTimestamp"] = at,
            ["count"] = 1,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = component,
            ["reportingInstance"] = "",
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
