using System.Text.Json;

namespace Porthole.Clusters.Discovery;

/// <summary>Reads Kubernetes discovery documents (APIResourceList, APIGroupList) into <see cref="ApiResource"/>s.</summary>
internal static class DiscoveryReader
{
    /// <summary>The groups of an APIGroupList: name, its versions and the preferred one.</summary>
    public static IEnumerable<(string Group, string Version, bool Preferred)> GroupVersions(JsonElement groupList)
    {
        foreach (var group in Array(groupList, "groups"))
        {
            var name = Text(group, "name");
            var preferred = group.TryGetProperty("preferredVersion", out var p) ? Text(p, "version") : "";
            foreach (var version in Array(group, "versions"))
            {
                var v = Text(version, "version");
                yield return (name, v, v == preferred);
            }
        }
    }

    /// <summary>The resources of one APIResourceList, subresources folded into their parents.</summary>
    public static IEnumerable<ApiResource> Resources(JsonElement resourceList, string group, string version, bool preferred, ISet<(string Group, string Name)> crds)
    {
        var all = Array(resourceList, "resources").ToList();
        var subresources = all.Select(r => Text(r, "name")).Where(n => n.Contains('/', StringComparison.Ordinal))
            .Select(n => n.Split('/', 2)).ToLookup(p => p[0], p => p[1]);
        foreach (var r in all)
        {
            var name = Text(r, "name");
            if (name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            yield return new ApiResource(group, version, Text(r, "kind"), name,
                r.TryGetProperty("namespaced", out var ns) && ns.ValueKind == JsonValueKind.True,
                Strings(r, "verbs"), Strings(r, "shortNames"), [.. subresources[name]], preferred, crds.Contains((group, name)));
        }
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static string[] Strings(JsonElement element, string property) =>
        [.. Array(element, property).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];

    internal static string Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}
