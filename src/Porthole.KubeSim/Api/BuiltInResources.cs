namespace Porthole.KubeSim.Api;

/// <summary>
/// The built-in kinds KubeSim serves, with the scope, short names, categories and
/// subresources the real API server reports for them.
/// </summary>
public static class BuiltInResources
{
    private static readonly string[] None = [];
    private static readonly string[] All = ["all"];

    public static IReadOnlyList<ResourceType> Create() =>
    [
        // core/v1
        Ns("", "v1", "pods", "Pod", ["po"], All, "status", "log", "exec", "attach", "eviction", "binding", "ephemeralcontainers"),
        Ns("", "v1", "services", "Service", ["svc"], All, "status"),
        Ns("", "v1", "endpoints", "Endpoints", ["ep"], None),
        Ns("", "v1", "configmaps", "ConfigMap", ["cm"], None),
        Ns("", "v1", "secrets", "Secret", None, None),
        Ns("", "v1", "serviceaccounts", "ServiceAccount", ["sa"], None, "token"),
        Ns("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", ["pvc"], None, "status"),
        Ns("", "v1", "events", "Event", ["ev"], None),
        Ns("", "v1", "replicationcontrollers", "ReplicationController", ["rc"], All, "status", "scale"),
        Ns("", "v1", "limitranges", "LimitRange", ["limits"], None),
        Ns("", "v1", "resourcequotas", "ResourceQuota", ["quota"], None, "status"),
        Ns("", "v1", "podtemplates", "PodTemplate", None, None),
        Cluster("", "v1", "namespaces", "Namespace", ["ns"], None, "status", "finalize"),
        Cluster("", "v1", "nodes", "Node", ["no"], None, "status"),
        Cluster("", "v1", "persistentvolumes", "PersistentVolume", ["pv"], None, "status"),

        // apps/v1
        Ns("apps", "v1", "deployments", "Deployment", ["deploy"], All, "status", "scale"),
        Ns("apps", "v1", "replicasets", "ReplicaSet", ["rs"], All, "status", "scale"),
        Ns("apps", "v1", "statefulsets", "StatefulSet", ["sts"], All, "status", "scale"),
        Ns("apps", "v1", "daemonsets", "DaemonSet", ["ds"], All, "status"),
        Ns("apps", "v1", "controllerrevisions", "ControllerRevision", None, None),

        // batch/v1
        Ns("batch", "v1", "jobs", "Job", None, All, "status"),
        Ns("batch", "v1", "cronjobs", "CronJob", ["cj"], All, "status"),

        // autoscaling
        Ns("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", ["hpa"], All, "status"),
        Ns("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", ["hpa"], All, "status"),

        // networking.k8s.io/v1
        Ns("networking.k8s.io", "v1", "ingresses", "Ingress", ["ing"], None, "status"),
        Ns("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", ["netpol"], None),
        Cluster("networking.k8s.io", "v1", "ingressclasses", "IngressClass", None, None),

        // discovery.k8s.io/v1
        Ns("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", None, None),

        // rbac.authorization.k8s.io/v1
        Ns("rbac.authorization.k8s.io", "v1", "roles", "Role", None, None),
        Ns("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", None, None),
        Cluster("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", None, None),
        Cluster("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", None, None),

        // storage.k8s.io/v1
        Cluster("storage.k8s.io", "v1", "storageclasses", "StorageClass", ["sc"], None),
        Cluster("storage.k8s.io", "v1", "volumeattachments", "VolumeAttachment", None, None, "status"),
        Cluster("storage.k8s.io", "v1", "csidrivers", "CSIDriver", None, None),
        Cluster("storage.k8s.io", "v1", "csinodes", "CSINode", None, None),

        // policy/v1
        Ns("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", ["pdb"], None, "status"),

        // coordination.k8s.io/v1
        Ns("coordination.k8s.io", "v1", "leases", "Lease", None, None),

        // events.k8s.io/v1
        Ns("events.k8s.io", "v1", "events", "Event", ["ev"], None),

        // scheduling.k8s.io/v1
        Cluster("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", ["pc"], None),

        // apiextensions.k8s.io/v1
        Cluster("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", ["crd", "crds"], ["api-extensions"], "status"),

        // authentication / authorization: create-only reviews without storage
        Review("authentication.k8s.io", "tokenreviews", "TokenReview", namespaced: false),
        Review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", namespaced: false),
        Review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview", namespaced: false),
        Review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview", namespaced: false),
        Review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", namespaced: false),
        Review("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview", namespaced: true),

        // metrics.k8s.io: read-only usage computed from running pods and nodes
        new("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", true, None, None, ResourceType.ReadOnly, None),
        new("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false, None, None, ResourceType.ReadOnly, None),
    ];

    private static ResourceType Ns(string g, string v, string plural, string kind, string[] shortNames, string[] categories, params string[] subresources) =>
        new(g, v, plural, kind, true, shortNames, categories, ResourceType.AllVerbs, subresources);

    private static ResourceType Cluster(string g, string v, string plural, string kind, string[] shortNames, string[] categories, params string[] subresources) =>
        new(g, v, plural, kind, false, shortNames, categories, ResourceType.AllVerbs, subresources);

    private static ResourceType Review(string g, string plural, string kind, bool namespaced) =>
        new(g, "v1", plural, kind, namespaced, None, None, ResourceType.CreateOnly, None);
}
