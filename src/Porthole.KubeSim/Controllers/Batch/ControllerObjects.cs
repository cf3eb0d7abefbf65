using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Server;

namespace Porthole.KubeSim.Controllers.Batch;

/// <summary>What controllers write besides status: objects they own (with API-server defaults) and Events about their objects.</summary>
internal sealed class ControllerObjects(KubeSimContext sim)
{
    private readonly ResourceType _events = sim.Registry.Find("", "v1", "events")!;
    private long _sequence;

    public KubeSimContext Sim { get; } = sim;

    /// <summary>A controller ownerReference to <paramref name="owner"/> so the garbage collector cascades.</summary>
    public static JsonObject OwnerReference(JsonObject owner, string apiVersion, string kind) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>The uid of an object's controller owner, or null.</summary>
    public static string? ControllerUid(JsonObject obj, string kind) =>
        obj.Arr("metadata", "ownerReferences")?.OfType<JsonObject>()
            .FirstOrDefault(o => o.Bool("controller") == true && o.Str("kind") == kind)?.Str("uid");

    /// <summary>Creates an object as the API server would (generateName, uid, timestamps, defaults); retries name clashes.</summary>
    public JsonObject Create(ResourceType type, JsonObject obj)
    {
        for (var attempt = 0; ; attempt++)
        {
            var copy = obj.DeepClone().AsObject();
            ObjectRules.GenerateName(copy);
            ObjectRules.PrepareForCreate(type, copy, Sim.Time.GetUtcNow(), Sim);
            try
            {
                return Sim.Store.Create(type, copy).Parse();
            }
            catch (ApiException e) when (e.Code == 409 && attempt < 5 && obj.Str("metadata", "generateName") is not null)
            {
                // a generated name clashed: draw another
            }
        }
    }

    /// <summary>Records an Event about an object, as a controller's event recorder does.</summary>
    public void Event(JsonObject about, string type, string reason, string message, string component)
    {
        var now = Sim.Time.GetUtcNow();
        var at = SimFormat.Time(now);
        var unique = (now.ToUnixTimeMilliseconds() * 1_000_000) + Interlocked.Increment(ref _sequence);
        var name = $"{about.Name()}.{unique.ToString("x", CultureInfo.InvariantCulture)}";
        var evt = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = about.Namespace(),
                ["uid"] = Guid.NewGuid().ToString(),
                ["creationTimestamp"] = at,
            },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = about.Str("kind"),
                ["namespace"] = about.Namespace(),
                ["name"] = about.Name(),
                ["uid"] = about.Uid(),
                ["apiVersion"] = about.Str("apiVersion"),
                ["resourceVersion"] = about.ResourceVersion(),
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
            Sim.Store.Create(_events, evt);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // as harmless as the real recorder's dropped event
        }
    }
}
