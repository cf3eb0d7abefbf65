using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Security;

internal sealed partial class RbacPolicy
{
    /// <summary>A RoleBinding (with its namespace) or a ClusterRoleBinding (namespace "").</summary>
    private sealed record Binding(string Name, string Namespace, string RoleKind, string RoleName, IReadOnlyList<Subject> Subjects)
    {
        public static Binding Parse(JsonObject o) => new(
            o.Name(),
            o.Namespace(),
            o.Str("roleRef", "kind") ?? "",
            o.Str("roleRef", "name") ?? "",
            o.Arr("subjects") is { } subjects
                ? [.. subjects.Select(s => new Subject(s.Str("kind") ?? "", s.Str("name") ?? "", s.Str("namespace") ?? ""))]
                : []);

        /// <summary>Worded as the RBAC authorizer's binding describers.</summary>
        public string Describe(Subject subject) => Namespace.Length == 0
            ? $"ClusterRoleBinding \"{Name}\" of {RoleKind} \"{RoleName}\" to {subject.Describe("")}"
            : $"RoleBinding \"{Name}/{Namespace}\" of {RoleKind} \"{RoleName}\" to {subject.Describe(Namespace)}";
    }

    /// <summary>A binding subject: User, Group or ServiceAccount.</summary>
    private sealed record Subject(string Kind, string Name, string Namespace)
    {
        public bool AppliesTo(UserInfo user, string bindingNamespace)
        {
            switch (Kind)
            {
                case "User":
                    return user.Name == Name;
                case "Group":
                    return user.InGroup(Name);
                case "ServiceAccount":
                    var ns = Namespace.Length > 0 ? Namespace : bindingNamespace;
                    return ns.Length > 0 && user.Name == ServiceAccounts.UserName(ns, Name);
                default:
                    return false;
            }
        }

        public string Describe(string bindingNamespace) => Kind == "ServiceAccount"
            ? $"{Kind} \"{Name}/{(Namespace.Length > 0 ? Namespace : bindingNamespace)}\""
            : $"{Kind} \"{Name}\"";
    }
}
