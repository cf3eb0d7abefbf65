using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

/// <summary>One rbac.authorization.k8s.io/v1 PolicyRule, with the matching rules of the RBAC authorizer.</summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public static PolicyRule Parse(JsonNode? rule) => new(
        Strings(rule, "verbs"),
        Strings(rule, "apiGroups"),
        Strings(rule, "resources"),
        Strings(rule, "resourceNames"),
        Strings(rule, "nonResourceURLs"));

    /// <summary>True when this rule grants the request, as rbac's RuleAllows.</summary>
    public bool Allows(AuthorizationAttributes a)
    {
        if (!Has(Verbs, a.Verb))
        {
            return false;
        }

        if (!a.IsResourceRequest)
        {
            return NonResourceUrlMatches(a.Path);
        }

        return Has(ApiGroups, a.ApiGroup)
            && ResourceMatches(a.CombinedResource, a.Subresource)
            && (ResourceNames.Count == 0 || ResourceNames.Contains(a.Name));
    }

    /// <summary>The rule in its JSON shape, empty lists left out as the API server does.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["verbs"] = Array(Verbs) };
        Add(o, "apiGroups", ApiGroups);
        Add(o, "resources", Resources);
        Add(o, "resourceNames", ResourceNames);
        Add(o, "nonResourceURLs", NonResourceUrls);
        return o;
    }

    internal static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static void Add(JsonObject o, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            o[key] = Array(values);
        }
    }

    private static bool Has(IReadOnlyList<string> values, string wanted)
    {
        foreach (var v in values)
        {
            if (v == "*" || v == wanted)
            {
                return true;
            }
        }

        return false;
    }

    private bool ResourceMatches(string combined, string subresource)
    {
        foreach (var r in Resources)
        {
            if (r == "*" || r == combined)
            {
                return true;
            }

            if (subresource.Length > 0 && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal)
                && r.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private bool NonResourceUrlMatches(string path)
    {
        foreach (var url in NonResourceUrls)
        {
            if (url == "*" || url == path)
            {
                return true;
            }

            if (url.EndsWith('*') && path.StartsWith(url[..^1], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] Strings(JsonNode? node, string key) =>
        node.Arr(key) is { } arr ? [.. arr.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "")] : [];
}
