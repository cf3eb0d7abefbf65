using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Hosting;

/// <summary>Writes start-up objects straight into the store, with the metadata a create would give them.</summary>
internal sealed class Seeder
{
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly DateTimeOffset _now;

    public Seeder(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        _store = store;
        _registry = registry;
        _now = time.GetUtcNow();
    }

    /// <summary>Stores an object unless one of that name exists already.</summary>
    public void Add(JsonObject obj)
    {
        var apiVersion = obj.Str("apiVersion") ?? "v1";
        var kind = obj.Str("kind") ?? throw new ArgumentException("seed object without kind");
        var type = _registry.FindByKind(apiVersion, kind) ?? throw new ArgumentException($"no served resource for {apiVersion} {kind}");
        if (_store.Get(type, obj.Namespace(), obj.Name()) is not null)
        {
            return;
        }

        var meta = obj.Metadata();
        meta["uid"] ??= Guid.NewGuid().ToString();
        meta["creationTimestamp"] ??= Server.ObjectRules.Timestamp(_now);
        if (type.Plural == "namespaces")
        {
            var labels = meta.Obj("labels") ?? new JsonObject();
            labels["kubernetes.io/metadata.name"] = obj.Name();
            meta["labels"] = labels;
            obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] ??= new JsonObject { ["phase"] = "Active" };
        }

        _store.Create(type, obj);
    }

    public static JsonObject Namespace(string name) => new()
    {
        ["kind"] = "Namespace",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    /// <summary>A bare pod spec as a user would create it; the kubelet schedules and runs it.</summary>
    public static JsonObject Pod(string ns, string name, IReadOnlyDictionary<string, string> labels, params (string Name, string Image)[] containers)
    {
        var list = new JsonArray();
        foreach (var (cname, image) in containers)
        {
            list.Add(new JsonObject { ["name"] = cname, ["image"] = image });
        }

        var labelObj = new JsonObject();
        foreach (var (k, v) in labels)
        {
            labelObj[k] = v;
        }

        var pod = new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labelObj },
            ["spec"] = new JsonObject { ["containers"] = list },
        };
        Server.Defaults.PodSpec(pod.Obj("spec")!);
        Server.Defaults.PodAdmission(pod.Obj("spec")!);
        pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
        return pod;
    }
}
