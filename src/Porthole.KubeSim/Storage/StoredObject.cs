using System.Text.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Storage;

/// <summary>
/// One committed object: its JSON bytes (written straight into list and watch responses) and
/// the few index fields selectors need. Immutable; <see cref="Parse"/> hands out a fresh copy
/// that the caller may change freely.
/// </summary>
public sealed class StoredObject
{
    private StoredObject(byte[] json, string ns, string name, string uid, long resourceVersion, IReadOnlyDictionary<string, string> labels)
    {
        Json = json;
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = resourceVersion;
        Labels = labels;
    }

    public byte[] Json { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public long ResourceVersion { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();

    public static StoredObject From(JsonObject obj, long resourceVersion) =>
        new(KubeJson.Bytes(obj), obj.Namespace(), obj.Name(), obj.Uid(), resourceVersion, obj.Labels());
}
