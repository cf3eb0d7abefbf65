using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>The printers for ResourceQuotas and (Cluster)RoleBindings.</content>
public static partial class TableConverter
{
    /// <summary>Request and Limit: "name: used/hard" per status.hard entry (limits.* under Limit), by name.</summary>
    private static readonly Printer ResourceQuotaPrinter = new(
        [
            NameColumn,
            AgeColumn,
            new("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
            new("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        ],
        (quota, now) =>
        {
            var hard = quota.Obj("status", "hard") ?? [];
            var used = quota.Obj("status", "used");
            var request = new List<string>();
            var limit = new List<string>();
            foreach (var (name, value) in hard.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                var limitText = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString();
                var entry = $"{name}: {used.Str(name) ?? "0"}/{limitText}";
                (name.Split('.') is ["limits", _, ..] ? limit : request).Add(entry);
            }

            return new PrintedRow(Cells(quota.Name(), Age(quota, now), string.Join(", ", request), string.Join(", ", limit)));
        });

    private static readonly Printer RoleBindingPrinter = new(
        [
            NameColumn,
            new("Role", "string", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
            AgeColumn,
            new("Users", "string", "Users in the roleBinding", 1),
            new("Groups", "string", "Groups in the roleBinding", 1),
            new("ServiceAccounts", "string", "ServiceAccounts in the roleBinding", 1),
        ],
        (binding, now) =>
        {
            var subjects = binding.Arr("subjects")?.OfType<JsonObject>().ToList() ?? [];
            string Of(string kind, Func<JsonObject, string> name) => string.Join(", ", subjects.Where(s => s.Str("kind") == kind).Select(name));
            return new PrintedRow(Cells(
                binding.Name(),
                $"{binding.Str("roleRef", "kind")}/{binding.Str("roleRef", "name")}",
                Age(binding, now),
                Of("User", s => s.Str("name") ?? ""),
                Of("Group", s => s.Str("name") ?? ""),
                Of("ServiceAccount", s => $"{s.Str("namespace")}/{s.Str("name")}")));
        });
}
