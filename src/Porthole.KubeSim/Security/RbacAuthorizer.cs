using System.Collections.Concurrent;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Security;

/// <summary>
/// The RBAC authorizer of the API server, reading Roles, ClusterRoles and their bindings from
/// the <see cref="ObjectStore"/>. Members of system:masters are always allowed. The parsed
/// policy is cached until an RBAC table is written, and the rules of each user and namespace
/// are cached on top of it, so a check costs a few dictionary look-ups.
/// </summary>
public sealed partial class RbacAuthorizer
{
    public const string MastersGroup = "system:masters";

    private const int MaxCachedUsers = 4096;

    private readonly ObjectStore _store;
    private readonly RbacTypes _types;
    private volatile Snapshot? _snapshot;

    public RbacAuthorizer(ObjectStore store, ResourceRegistry registry)
    {
        _store = store;
        _types = RbacTypes.From(registry);
    }

    /// <summary>Decides a request: allowed with the RBAC reason, or not allowed (reason "" or the errors met).</summary>
    public AuthorizationDecision Authorize(AuthorizationAttributes a)
    {
        if (a.User.InGroup(MastersGroup))
        {
            return AuthorizationDecision.Privileged;
        }

        var rules = RulesFor(a.User, a.IsResourceRequest ? a.Namespace : "");
        foreach (var granted in rules.Rules)
        {
            if (granted.Rule.Allows(a))
            {
                return new AuthorizationDecision(true, $"RBAC: allowed by {granted.Source}");
            }
        }

        return new AuthorizationDecision(false, rules.DenialReason);
    }

    /// <summary>Authorizes and throws the API server's 403 Forbidden when not allowed.</summary>
    public void Require(AuthorizationAttributes a)
    {
        var decision = Authorize(a);
        if (!decision.Allowed)
        {
            throw Forbidden(a, decision.Reason);
        }
    }

    /// <summary>
    /// The RBAC rules that apply to a user in a namespace ("" for cluster-scoped rules only),
    /// as a SelfSubjectRulesReview lists them.
    /// </summary>
    public UserRules RulesFor(UserInfo user, string ns)
    {
        var snapshot = Current();
        var key = string.Concat(ns, "\n", user.Name, "\n", string.Join('\n', user.Groups));
        if (snapshot.PerUser.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var rules = snapshot.Policy.RulesFor(user, ns);
        if (snapshot.PerUser.Count >= MaxCachedUsers)
        {
            snapshot.PerUser.Clear();
        }

        snapshot.PerUser[key] = rules;
        return rules;
    }

    private Snapshot Current()
    {
        var version = Math.Max(
            Math.Max(_store.LastWrite(_types.Roles), _store.LastWrite(_types.RoleBindings)),
            Math.Max(_store.LastWrite(_types.ClusterRoles), _store.LastWrite(_types.ClusterRoleBindings)));
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Version == version)
        {
            return snapshot;
        }

        // The version is read before loading: a write racing the load only causes one more reload.
        snapshot = new Snapshot(version, RbacPolicy.Load(_store, _types));
        _snapshot = snapshot;
        return snapshot;
    }

    private sealed class Snapshot(long version, RbacPolicy policy)
    {
        public long Version { get; } = version;

        public RbacPolicy Policy { get; } = policy;

        public ConcurrentDictionary<string, UserRules> PerUser { get; } = new(StringComparer.Ordinal);
    }
}
