using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Discovery;

/// <summary>APIResourceList and aggregated APIGroupDiscoveryList content.</summary>
public sealed partial class DiscoveryDocuments
{
    private static JsonObject ResourceListDocument(ResourceRegistry registry, string group, string version)
    {
        var entries = new List<JsonObject>();
        foreach (var r in registry.InGroupVersion(group, version))
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = Strings(r.Verbs),
            };
            if (r.ShortNames.Count > 0)
            {
                entry["shortNames"] = Strings(r.ShortNames);
            }

            if (r.Categories.Count > 0)
            {
                entry["categories"] = Strings(r.Categories);
            }

            if (!r.IsVirtual && !IsAggregatedApi(r))
            {
                entry["storageVersionHash"] = StorageVersionHash(r.Group, StorageVersion(registry, r), r.Kind);
            }

            entries.Add(entry);
            foreach (var name in r.Subresources)
            {
                var sub = SubresourceInfo.For(r, name);
                var subEntry = new JsonObject
                {
                    ["name"] = $"{r.Plural}/{name}",
                    ["singularName"] = "",
                    ["namespaced"] = r.Namespaced,
                };
                if (sub.Group != r.Group || sub.Version != r.Version)
                {
                    subEntry["group"] = sub.Group;
                    subEntry["version"] = sub.Version;
                }

                subEntry["kind"] = sub.Kind;
                subEntry["verbs"] = Strings(sub.Verbs);
                entries.Add(subEntry);
            }
        }

        var resources = new JsonArray();
        foreach (var e in entries.OrderBy(e => (string)e["name"]!, StringComparer.Ordinal))
        {
            resources.Add(e);
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = GroupVersion(group, version),
            ["resources"] = resources,
        };
    }

    private static JsonObject AggregatedDocument(
        ResourceRegistry registry, IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> groups, bool core, string aggregatedVersion)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in groups)
        {
            if ((group.Length == 0) != core)
            {
                continue;
            }

            var versionArray = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var r in registry.InGroupVersion(group, version).OrderBy(r => r.Plural, StringComparer.Ordinal))
                {
                    resources.Add(AggregatedResource(r));
                }

                versionArray.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            var metadata = new JsonObject();
            if (group.Length > 0)
            {
                metadata["name"] = group;
            }

            metadata["creationTimestamp"] = null;
            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versionArray });
        }

        return new JsonObject
        {
            ["kind"] = DiscoveryNegotiation.ListKind,
            ["apiVersion"] = $"{DiscoveryNegotiation.Group}/{aggregatedVersion}",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject AggregatedResource(ResourceType r)
    {
        var entry = new JsonObject
        {
            ["resource"] = r.Plural,
            ["responseKind"] = Gvk("", "", r.Kind),
            ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = r.Singular,
            ["verbs"] = Strings(r.Verbs),
        };
        if (r.ShortNames.Count > 0)
        {
            entry["shortNames"] = Strings(r.ShortNames);
        }

        if (r.Categories.Count > 0)
        {
            entry["categories"] = Strings(r.Categories);
        }

        if (r.Subresources.Count > 0)
        {
            var subs = new JsonArray();
            foreach (var name in r.Subresources.Order(StringComparer.Ordinal))
            {
                var sub = SubresourceInfo.For(r, name);
                var kind = sub.Group == r.Group && sub.Version == r.Version ? Gvk("", "", sub.Kind) : Gvk(sub.Group, sub.Version, sub.Kind);
                subs.Add(new JsonObject { ["subresource"] = name, ["responseKind"] = kind, ["verbs"] = Strings(sub.Verbs) });
            }

            entry["subresources"] = subs;
        }

        return entry;
    }

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static bool IsAggregatedApi(ResourceType r) => r.Group == "metrics.k8s.io";

    private static string StorageVersion(ResourceRegistry registry, ResourceType r) =>
        registry.FindPreferred(r.Group, r.Plural)?.Version ?? r.Version;
}
