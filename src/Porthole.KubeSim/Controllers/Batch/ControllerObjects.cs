using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Server;

namespace Porthole.KubeSim.Controllers.Batch;

/// <summary>What controllers write besides status: objects they own (with API-server defaults) and Events about their objects.</summary>
internal sealed class ControllerObjects(KubeSimContext sim)
{
    private readonly ControllerEvents _events = new(sim.Store, sim.Registry.Find("", "v1", "events")!);

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
    public void Event(JsonObject about, string type, string reason, string message, string component) =>
        _events.Record(about, component, type, reason, message, Sim.Time.GetUtcNow());
}
