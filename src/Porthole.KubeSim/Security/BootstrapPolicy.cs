using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Security;

/// <summary>One object to seed, with the group and plural of the resource type that stores it.</summary>
public sealed record BootstrapObject(string Group, string Plural, JsonObject Object);

/// <summary>
/// The objects a fresh simulator starts with: the namespaces, the API server's default
/// ClusterRoles and bindings (cluster-admin, admin, edit, view with their aggregation labels,
/// discovery and basic-user roles) and the bindings of the simulator's users (<see cref="SimUsers"/>).
/// </summary>
public static partial class BootstrapPolicy
{
    public const string PortholeServerRole = "kubesim:porthole-server";

    private const string Rbac = RbacTypes.Group;

    /// <summary>Fresh copies of every bootstrap object, namespaces first. Aggregated ClusterRoles carry their resolved rules.</summary>
    public static IReadOnlyList<BootstrapObject> Objects()
    {
        var result = new List<BootstrapObject>();
        foreach (var ns in SimUsers.Namespaces)
        {
            result.Add(new("", "namespaces", new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject
                {
                    ["name"] = ns,
                    ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns },
                },
                ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            }));
        }

        var clusterRoles = ClusterRoles();
        var resolved = RbacPolicy.ResolveClusterRoles(clusterRoles);
        foreach (var role in clusterRoles)
        {
            if (role["aggregationRule"] is not null)
            {
                role["rules"] = new JsonArray([.. resolved[role.Name()].Select(r => (JsonNode?)r.ToJson())]);
            }

            result.Add(new(Rbac, "clusterroles", role));
        }

        result.AddRange(ClusterRoleBindings().Select(b => new BootstrapObject(Rbac, "clusterrolebindings", b)));
        result.Add(new(Rbac, "rolebindings", Binding("RoleBinding", "sim-dev-edit", SimUsers.TeamNamespace, "ClusterRole", "edit", false, User(SimUsers.Dev))));
        return result;
    }

    /// <summary>
    /// Stores every bootstrap object that is not there yet, with a uid and creationTimestamp as
    /// the API server would set them. Returns how many were created.
    /// </summary>
    public static int Seed(ObjectStore store, ResourceRegistry registry)
    {
        var created = 0;
        foreach (var (group, plural, obj) in Objects())
        {
            var type = registry.FindPreferred(group, plural) ?? throw new InvalidOperationException($"{plural}.{group} is not registered");
            if (store.Get(type, obj.Namespace(), obj.Name()) is not null)
            {
                continue;
            }

            var meta = obj.Metadata();
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = store.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            store.Create(type, obj);
            created++;
        }

        return created;
    }

    private static List<JsonObject> ClusterRoleBindings() =>
    [
        Binding("ClusterRoleBinding", "cluster-admin", "", "ClusterRole", "cluster-admin", true, Group(RbacAuthorizer.MastersGroup)),
        Binding("ClusterRoleBinding", "system:discovery", "", "ClusterRole", "system:discovery", true, Group(SimUsers.Authenticated)),
        Binding("ClusterRoleBinding", "system:basic-user", "", "ClusterRole", "system:basic-user", true, Group(SimUsers.Authenticated)),
        Binding("ClusterRoleBinding", "system:public-info-viewer", "", "ClusterRole", "system:public-info-viewer", true,
            Group(SimUsers.Authenticated), Group(SimUsers.Unauthenticated)),
        Binding("ClusterRoleBinding", "sim-viewer-view", "", "ClusterRole", "view", false, User(SimUsers.Viewer)),
        Binding("ClusterRoleBinding", "sim-porthole", "", "ClusterRole", PortholeServerRole, false, User(SimUsers.Porthole)),
    ];

    private static JsonObject User(string name) => new() { ["apiGroup"] = Rbac, ["kind"] = "User", ["name"] = name };

    private static JsonObject Group(string name) => new() { ["apiGroup"] = Rbac, ["kind"] = "Group", ["name"] = name };

    private static JsonObject Binding(string kind, string name, string ns, string roleKind, string roleName, bool bootstrap, params JsonObject[] subjects)
    {
        var meta = Meta(name, bootstrap);
        if (ns.Length > 0)
        {
            meta["namespace"] = ns;
        }

        return new JsonObject
        {
            ["apiVersion"] = $"{Rbac}/v1",
            ["kind"] = kind,
            ["metadata"] = meta,
            ["roleRef"] = new JsonObject { ["apiGroup"] = Rbac, ["kind"] = roleKind, ["name"] = roleName },
            ["subjects"] = new JsonArray([.. subjects]),
        };
    }

    private static JsonObject Meta(string name, bool bootstrap, params (string Key, string Value)[] labels)
    {
        var meta = new JsonObject { ["name"] = name };
        if (bootstrap)
        {
            meta["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" };
        }

        var map = new JsonObject();
        if (bootstrap)
        {
            map["kubernetes.io/bootstrapping"] = "rbac-defaults";
        }

        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }

        if (map.Count > 0)
        {
            meta["labels"] = map;
        }

        return meta;
    }
}
