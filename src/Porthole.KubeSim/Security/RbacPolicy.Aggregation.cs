using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

internal sealed partial class RbacPolicy
{
    /// <summary>
    /// The effective rules of every ClusterRole: its own rules, or for an aggregated one
    /// (aggregationRule.clusterRoleSelectors) the union of the effective rules of the other
    /// ClusterRoles its selectors match, as the aggregation controller would write them.
    /// </summary>
    internal static Dictionary<string, PolicyRule[]> ResolveClusterRoles(IEnumerable<JsonObject> clusterRoles)
    {
        var all = clusterRoles.ToDictionary(o => o.Name(), StringComparer.Ordinal);
        var resolved = new Dictionary<string, PolicyRule[]>(StringComparer.Ordinal);
        foreach (var name in all.Keys)
        {
            Resolve(name, all, resolved, []);
        }

        return resolved;
    }

    private static PolicyRule[] Resolve(string name, Dictionary<string, JsonObject> all, Dictionary<string, PolicyRule[]> resolved, HashSet<string> visiting)
    {
        if (resolved.TryGetValue(name, out var done))
        {
            return done;
        }

        var role = all[name];
        if (role.Arr("aggregationRule", "clusterRoleSelectors") is not { } selectors)
        {
            var own = Rules(role);
            resolved[name] = own;
            return own;
        }

        if (!visiting.Add(name))
        {
            // A cycle of aggregated roles: stop at the stored rules, as the controller's last write.
            return Rules(role);
        }

        var union = new List<PolicyRule>();
        foreach (var (otherName, other) in all.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (otherName == name || !selectors.Any(s => SelectorMatches(s, other.Labels())))
            {
                continue;
            }

            foreach (var rule in Resolve(otherName, all, resolved, visiting))
            {
                if (!union.Contains(rule, RuleComparer.Instance))
                {
                    union.Add(rule);
                }
            }
        }

        visiting.Remove(name);
        var result = union.ToArray();
        resolved[name] = result;
        return result;
    }

    /// <summary>A metav1.LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist).</summary>
    internal static bool SelectorMatches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector.StringMap("matchLabels"))
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var expression in selector.Arr("matchExpressions") ?? [])
        {
            var key = expression.Str("key") ?? "";
            var values = expression.Arr("values")?.Select(v => v?.GetValue<string>()).ToList() ?? [];
            var has = labels.TryGetValue(key, out var actual);
            var ok = expression.Str("operator") switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class RuleComparer : IEqualityComparer<PolicyRule>
    {
        public static readonly RuleComparer Instance = new();

        public bool Equals(PolicyRule? x, PolicyRule? y) =>
            x is not null && y is not null
            && x.Verbs.SequenceEqual(y.Verbs) && x.ApiGroups.SequenceEqual(y.ApiGroups) && x.Resources.SequenceEqual(y.Resources)
            && x.ResourceNames.SequenceEqual(y.ResourceNames) && x.NonResourceUrls.SequenceEqual(y.NonResourceUrls);

        public int GetHashCode(PolicyRule obj) => obj.Verbs.Count ^ (obj.Resources.Count << 8);
    }
}
