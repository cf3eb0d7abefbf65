using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Security;

/// <summary>
/// One parsed snapshot of every Role, ClusterRole and binding, with aggregated ClusterRoles
/// resolved. Immutable once loaded; <see cref="RbacAuthorizer"/> replaces it when an RBAC table changes.
/// </summary>
internal sealed partial class RbacPolicy
{
    private readonly Dictionary<string, PolicyRule[]> _clusterRoles;
    private readonly Dictionary<(string Ns, string Name), PolicyRule[]> _roles;
    private readonly List<Binding> _clusterBindings;
    private readonly Dictionary<string, List<Binding>> _roleBindings;

    private RbacPolicy(
        Dictionary<string, PolicyRule[]> clusterRoles,
        Dictionary<(string, string), PolicyRule[]> roles,
        List<Binding> clusterBindings,
        Dictionary<string, List<Binding>> roleBindings)
    {
        _clusterRoles = clusterRoles;
        _roles = roles;
        _clusterBindings = clusterBindings;
        _roleBindings = roleBindings;
    }

    public static RbacPolicy Load(ObjectStore store, RbacTypes types)
    {
        var clusterRoles = ResolveClusterRoles(store.All(types.ClusterRoles).Select(o => o.Parse()));
        var roles = new Dictionary<(string, string), PolicyRule[]>();
        foreach (var role in store.All(types.Roles))
        {
            roles[(role.Namespace, role.Name)] = Rules(role.Parse());
        }

        var clusterBindings = store.All(types.ClusterRoleBindings).Select(o => Binding.Parse(o.Parse())).ToList();
        var roleBindings = new Dictionary<string, List<Binding>>(StringComparer.Ordinal);
        foreach (var rb in store.All(types.RoleBindings))
        {
            if (!roleBindings.TryGetValue(rb.Namespace, out var list))
            {
                list = [];
                roleBindings[rb.Namespace] = list;
            }

            list.Add(Binding.Parse(rb.Parse()));
        }

        return new RbacPolicy(clusterRoles, roles, clusterBindings, roleBindings);
    }

    /// <summary>
    /// The rules that apply to a user in a namespace ("" for cluster scope), in the order RBAC
    /// visits them: ClusterRoleBindings, then RoleBindings of the namespace.
    /// </summary>
    public UserRules RulesFor(UserInfo user, string ns)
    {
        var granted = new List<GrantedRule>();
        var errors = new List<string>();
        foreach (var binding in _clusterBindings)
        {
            Collect(binding, user, "", granted, errors);
        }

        if (ns.Length > 0 && _roleBindings.TryGetValue(ns, out var bindings))
        {
            foreach (var binding in bindings)
            {
                Collect(binding, user, ns, granted, errors);
            }
        }

        return new UserRules(granted, errors);
    }

    internal static PolicyRule[] Rules(JsonObject role) =>
        role.Arr("rules") is { } rules ? [.. rules.Select(PolicyRule.Parse)] : [];

    private void Collect(Binding binding, UserInfo user, string ns, List<GrantedRule> granted, List<string> errors)
    {
        var subject = binding.Subjects.FirstOrDefault(s => s.AppliesTo(user, ns));
        if (subject is null)
        {
            return;
        }

        PolicyRule[]? rules;
        if (binding.RoleKind == "Role")
        {
            rules = ns.Length > 0 && _roles.TryGetValue((ns, binding.RoleName), out var r) ? r : null;
        }
        else
        {
            rules = _clusterRoles.TryGetValue(binding.RoleName, out var r) ? r : null;
        }

        if (rules is null)
        {
            errors.Add($"{binding.RoleKind.ToLowerInvariant()}.rbac.authorization.k8s.io \"{binding.RoleName}\" not found");
            return;
        }

        var source = binding.Describe(subject);
        foreach (var rule in rules)
        {
            granted.Add(new GrantedRule(rule, source));
        }
    }
}

/// <summary>A rule granted to a user and the binding that granted it, worded for RBAC reasons.</summary>
public sealed record GrantedRule(PolicyRule Rule, string Source);

/// <summary>The rules that apply to one user in one namespace, and the errors met collecting them (missing roles).</summary>
public sealed record UserRules(IReadOnlyList<GrantedRule> Rules, IReadOnlyList<string> Errors)
{
    /// <summary>The RBAC reason of a denial: "" or "RBAC: ..." listing the errors.</summary>
    public string DenialReason => Errors.Count switch
    {
        0 => "",
        1 => $"RBAC: {Errors[0]}",
        _ => $"RBAC: [{string.Join(", ", Errors)}]",
    };
}

/// <summary>The four RBAC resource types, as the registry serves them.</summary>
internal sealed record RbacTypes(ResourceType Roles, ResourceType RoleBindings, ResourceType ClusterRoles, ResourceType ClusterRoleBindings)
{
    public const string Group = "rbac.authorization.k8s.io";

    public static RbacTypes From(ResourceRegistry registry) => new(
        Find(registry, "roles"), Find(registry, "rolebindings"), Find(registry, "clusterroles"), Find(registry, "clusterrolebindings"));

    private static ResourceType Find(ResourceRegistry registry, string plural) =>
        registry.FindPreferred(Group, plural) ?? throw new InvalidOperationException($"{plural}.{Group} is not registered");
}
