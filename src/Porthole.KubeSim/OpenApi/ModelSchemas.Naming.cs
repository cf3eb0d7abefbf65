using System.Text.RegularExpressions;

namespace Porthole.KubeSim.OpenApi;

/// <summary>How model types map to the real definition names, and required members.</summary>
internal static partial class ModelSchemas
{
    private static string? NameOf(Catalog catalog, string group, string version, string kind) =>
        catalog.Kinds.GetValueOrDefault((group, version, kind));

    [GeneratedRegex("^(?<grp>[A-Z][a-z]+)?(?<ver>[Vv][0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<name>[A-Z].*)$")]
    private static partial Regex VersionedName();

    private static string Package(string group) => group switch
    {
        "" or "core" => "io.k8s.api.core",
        "apiextensions.k8s.io" or "apiextensions" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
        "apiregistration.k8s.io" or "apiregistration" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
        "metrics.k8s.io" => "io.k8s.metrics.pkg.apis.metrics",
        "internal.apiserver.k8s.io" => "io.k8s.api.apiserverinternal",
        _ => "io.k8s.api." + group.Split('.')[0],
    };

    private static readonly HashSet<string> MetaTypes = new(StringComparer.Ordinal)
    {
        "ObjectMeta", "ListMeta", "LabelSelector", "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry",
        "Condition", "Status", "StatusDetails", "StatusCause", "DeleteOptions", "Preconditions", "WatchEvent",
        "APIResource", "APIResourceList", "APIGroup", "APIGroupList", "APIVersions", "GroupVersionForDiscovery",
        "ServerAddressByClientCIDR",
    };

    /// <summary>Hand-kept required members (the model types do not carry the Go "omitempty"-less tags).</summary>
    private static readonly Dictionary<string, string[]> RequiredByType = new(StringComparer.Ordinal)
    {
        ["V1Container"] = ["name"],
        ["V1EphemeralContainer"] = ["name"],
        ["V1EnvVar"] = ["name"],
        ["V1Volume"] = ["name"],
        ["V1VolumeMount"] = ["name", "mountPath"],
        ["V1PodSpec"] = ["containers"],
        ["V1DeploymentSpec"] = ["selector", "template"],
        ["V1ReplicaSetSpec"] = ["selector"],
        ["V1StatefulSetSpec"] = ["selector", "template"],
        ["V1DaemonSetSpec"] = ["selector", "template"],
        ["V1JobSpec"] = ["template"],
        ["V1CronJobSpec"] = ["schedule", "jobTemplate"],
        ["V1OwnerReference"] = ["apiVersion", "kind", "name", "uid"],
        ["V1Condition"] = ["type", "status", "lastTransitionTime", "reason", "message"],
        ["V1PolicyRule"] = ["verbs"],
        ["V1RoleRef"] = ["apiGroup", "kind", "name"],
        ["Rbacv1Subject"] = ["kind", "name"],
    };
}
