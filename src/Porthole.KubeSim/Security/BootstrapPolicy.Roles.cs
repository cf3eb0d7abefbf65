using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Security;

public static partial class BootstrapPolicy
{
    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] ReadWrite = [.. Read, .. Write];
    private static readonly string[] Core = [""];
    private static readonly string[] Apps = ["apps"];
    private static readonly string[] Extensions = ["extensions"];

    /// <summary>
    /// The default ClusterRoles, with the rules of the real bootstrap policy, plus the metrics
    /// reader that metrics-server installs (KubeSim serves metrics.k8s.io) and the Porthole server's role.
    /// </summary>
    private static List<JsonObject> ClusterRoles() =>
    [
        Role("cluster-admin", true, null, [], R(["*"], ["*"], "*"), N(["*"], "*")),
        Role("admin", true, AggregateToAdmin, []),
        Role("edit", true, AggregateToEdit, [(AggregateToAdmin, "true")]),
        Role("view", true, AggregateToView, [(AggregateToEdit, "true")]),
        Role("system:aggregate-to-admin", true, null, [(AggregateToAdmin, "true")],
            R(ReadWrite, ["rbac.authorization.k8s.io"], "rolebindings", "roles"),
            R(["create"], ["authorization.k8s.io"], "localsubjectaccessreviews")),
        Role("system:aggregate-to-edit", true, null, [(AggregateToEdit, "true")],
            R(Read, Core, "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"),
            R(["impersonate"], Core, "serviceaccounts"),
            R(Write, Core, "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
            R(["create"], Core, "pods/eviction"),
            R(Write, Core, "configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                "secrets", "serviceaccounts", "services", "services/proxy"),
            R(["create"], Core, "serviceaccounts/token"),
            R(Write, Apps, "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale",
                "statefulsets", "statefulsets/scale"),
            R(Write, ["autoscaling"], "horizontalpodautoscalers"),
            R(Write, ["batch"], "cronjobs", "jobs"),
            R(Write, Extensions, "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies",
                "replicasets", "replicasets/scale", "replicationcontrollers/scale"),
            R(Write, ["policy"], "poddisruptionbudgets"),
            R(Write, ["networking.k8s.io"], "ingresses", "networkpolicies"),
            R(ReadWrite, ["coordination.k8s.io"], "leases")),
        Role("system:aggregate-to-view", true, null, [(AggregateToView, "true")],
            R(Read, Core, "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
            R(Read, Core, "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"),
            R(Read, Core, "namespaces"),
            R(Read, ["discovery.k8s.io"], "endpointslices"),
            R(Read, Apps, "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"),
            R(Read, ["autoscaling"], "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
            R(Read, ["batch"], "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
            R(Read, Extensions, "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses",
                "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"),
            R(Read, ["policy"], "poddisruptionbudgets", "poddisruptionbudgets/status"),
            R(Read, ["networking.k8s.io"], "ingresses", "ingresses/status", "networkpolicies")),
        Role("system:aggregated-metrics-reader", false, null,
            [(AggregateToAdmin, "true"), (AggregateToEdit, "true"), (AggregateToView, "true")],
            R(Read, ["metrics.k8s.io"], "pods", "nodes")),
        Role("system:discovery", true, null, [],
            N(["get"], "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/")),
        Role("system:basic-user", true, null, [],
            R(["create"], ["authorization.k8s.io"], "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            R(["create"], ["authentication.k8s.io"], "selfsubjectreviews")),
        Role("system:public-info-viewer", true, null, [],
            N(["get"], "/healthz", "/livez", "/readyz", "/version", "/version/")),
        // What a Porthole server runs as: the ClusterRole of deploy/helm/porthole (auth modes that
        // impersonate), rule for rule; a test in Porthole.Tests keeps the two equal.
        Role(PortholeServerRole, false, null, [],
            N(["get"], "/api", "/api/*", "/apis", "/apis/*", "/version"),
            R(Read, ["apiextensions.k8s.io"], "customresourcedefinitions"),
            R(Read, Core, "configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes", "persistentvolumeclaims",
                "persistentvolumes", "pods", "replicationcontrollers", "resourcequotas", "serviceaccounts", "services"),
            R(Read, Apps, "controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"),
            R(Read, ["batch"], "cronjobs", "jobs"),
            R(Read, ["autoscaling"], "horizontalpodautoscalers"),
            R(Read, ["policy"], "poddisruptionbudgets"),
            R(Read, ["networking.k8s.io"], "ingressclasses", "ingresses", "networkpolicies"),
            R(Read, ["discovery.k8s.io"], "endpointslices"),
            R(Read, ["storage.k8s.io"], "storageclasses"),
            R(["create"], ["authorization.k8s.io"], "selfsubjectaccessreviews", "subjectaccessreviews"),
            R(["impersonate"], Core, "groups", "serviceaccounts", "users")),
    ];

    private static JsonObject Role(string name, bool bootstrap, string? aggregateFrom, (string, string)[] labels, params JsonObject[] rules)
    {
        var role = new JsonObject
        {
            ["apiVersion"] = $"{Rbac}/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = Meta(name, bootstrap, labels),
        };
        if (aggregateFrom is not null)
        {
            role["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject
                {
                    ["matchLabels"] = new JsonObject { [aggregateFrom] = "true" },
                }),
            };
        }

        role["rules"] = new JsonArray([.. rules]);
        return role;
    }

    private static JsonObject R(string[] verbs, string[] groups, params string[] resources) => new()
    {
        ["verbs"] = PolicyRule.Array(verbs),
        ["apiGroups"] = PolicyRule.Array(groups),
        ["resources"] = PolicyRule.Array(resources),
    };

    private static JsonObject N(string[] verbs, params string[] urls) => new()
    {
        ["verbs"] = PolicyRule.Array(verbs),
        ["nonResourceURLs"] = PolicyRule.Array(urls),
    };
}
