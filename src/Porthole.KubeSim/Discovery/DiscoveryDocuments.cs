using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Discovery;

/// <summary>
/// The discovery documents (/version, /api, /apis, /api/v1, /apis/{group}[/{version}] and the
/// aggregated apidiscovery.k8s.io lists), built from a <see cref="ResourceRegistry"/> once and
/// cached until the registry reports a change. URL mapping is left to the HTTP layer.
/// </summary>
public sealed partial class DiscoveryDocuments
{
    private const string Json = "application/json";

    private readonly RegistrySnapshot<Snapshot> _snapshot;

    public DiscoveryDocuments(ResourceRegistry registry)
    {
        _snapshot = new RegistrySnapshot<Snapshot>(registry, Build);
    }

    /// <summary>The /version document.</summary>
    public static ServedDocument Version { get; } = new(Encoding.UTF8.GetBytes(ServerVersion.Document().ToJsonString()), Json);

    /// <summary>/api (legacy): APIVersions naming the address clients should use.</summary>
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    /// <summary>/apis (legacy): APIGroupList of every non-core group, preferred version first.</summary>
    public ServedDocument GroupList() => Current().GroupList;

    /// <summary>/apis/{group}: the APIGroup, or null when the group is not served.</summary>
    public ServedDocument? Group(string group) => Current().Groups.GetValueOrDefault(group);

    /// <summary>/api/v1 (group "") or /apis/{group}/{version}: the APIResourceList, or null when not served.</summary>
    public ServedDocument? ResourceList(string group, string version) =>
        Current().ResourceLists.GetValueOrDefault(GroupVersion(group, version));

    /// <summary>
    /// The aggregated APIGroupDiscoveryList for /api (<paramref name="core"/>) or /apis in
    /// <paramref name="aggregatedVersion"/> "v2" or "v2beta1" (see <see cref="DiscoveryNegotiation"/>);
    /// serve it with its ContentType and a "Vary: Accept" header.
    /// </summary>
    public ServedDocument Aggregated(bool core, string aggregatedVersion)
    {
        var s = Current();
        return (core, aggregatedVersion) switch
        {
            (true, "v2") => s.CoreV2,
            (true, "v2beta1") => s.CoreV2Beta1,
            (false, "v2") => s.ApisV2,
            (false, "v2beta1") => s.ApisV2Beta1,
            _ => throw new ArgumentOutOfRangeException(nameof(aggregatedVersion), aggregatedVersion, "expected v2 or v2beta1"),
        };
    }

    /// <summary>The storageVersionHash the real server reports: base64 of the first 8 bytes of sha256("group/version/kind").</summary>
    public static string StorageVersionHash(string group, string version, string kind)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{group}/{version}/{kind}"));
        return Convert.ToBase64String(hash, 0, 8);
    }

    private static string GroupVersion(string group, string version) => group.Length == 0 ? version : $"{group}/{version}";

    private static ServedDocument Doc(JsonNode node, string contentType = Json) =>
        new(Encoding.UTF8.GetBytes(node.ToJsonString()), contentType);

    private Snapshot Current() => _snapshot.Current;

    private static Snapshot Build(ResourceRegistry registry)
    {
        var groups = registry.Groups();
        var resourceLists = new Dictionary<string, ServedDocument>(StringComparer.Ordinal);
        var groupDocs = new Dictionary<string, ServedDocument>(StringComparer.Ordinal);
        var groupArray = new JsonArray();
        foreach (var (group, versions) in groups)
        {
            foreach (var version in versions)
            {
                resourceLists[GroupVersion(group, version)] = Doc(ResourceListDocument(registry, group, version));
            }

            if (group.Length > 0)
            {
                var g = GroupDocument(group, versions);
                groupArray.Add(g.DeepClone());
                g["kind"] = "APIGroup";
                g["apiVersion"] = "v1";
                groupDocs[group] = Doc(g);
            }
        }

        var groupList = new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groupArray };
        return new Snapshot(
            Doc(groupList),
            groupDocs,
            resourceLists,
            Doc(AggregatedDocument(registry, groups, core: true, "v2"), DiscoveryNegotiation.ContentType("v2")),
            Doc(AggregatedDocument(registry, groups, core: true, "v2beta1"), DiscoveryNegotiation.ContentType("v2beta1")),
            Doc(AggregatedDocument(registry, groups, core: false, "v2"), DiscoveryNegotiation.ContentType("v2")),
            Doc(AggregatedDocument(registry, groups, core: false, "v2beta1"), DiscoveryNegotiation.ContentType("v2beta1")));
    }

    private static JsonObject GroupDocument(string group, IReadOnlyList<string> versions)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        }

        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    private sealed record Snapshot(
        ServedDocument GroupList,
        Dictionary<string, ServedDocument> Groups,
        Dictionary<string, ServedDocument> ResourceLists,
        ServedDocument CoreV2,
        ServedDocument CoreV2Beta1,
        ServedDocument ApisV2,
        ServedDocument ApisV2Beta1);
}
