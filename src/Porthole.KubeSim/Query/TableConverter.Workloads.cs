using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>Printers for workloads (deployments, replica sets, stateful and daemon sets), config maps, secrets and service accounts.</content>
public static partial class TableConverter
{
    private static Column ContainersColumn => new("Containers", "string", "Names of each container in the template.", 1);

    private static Column ImagesColumn => new("Images", "string", "Images referenced by each container in the template.", 1);

    private static readonly Printer DeploymentPrinter = new(
        [
            NameColumn,
            new("Ready", "string", "Number of the pod with ready state"),
            new("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            new("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            AgeColumn,
            ContainersColumn,
            ImagesColumn,
            new("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
        ],
        (d, now) =>
        {
            var (containers, images) = ContainerCells(d);
            return new PrintedRow(Cells(
                d.Name(),
                Inv($"{d.Long("status", "readyReplicas") ?? 0}/{d.Long("spec", "replicas") ?? 1}"),
                d.Long("status", "updatedReplicas") ?? 0,
                d.Long("status", "availableReplicas") ?? 0,
                Age(d, now),
                containers,
                images,
                LabelSelector.FromJson(d.Obj("spec", "selector")).ToString()));
        });

    private static readonly Printer ReplicaSetPrinter = new(
        [
            NameColumn,
            new("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
            new("Current", "integer", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
            new("Ready", "integer", "The number of ready replicas for this replica set."),
            AgeColumn,
            ContainersColumn,
            ImagesColumn,
            new("Selector", "string", "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
        ],
        (rs, now) =>
        {
            var (containers, images) = ContainerCells(rs);
            return new PrintedRow(Cells(
                rs.Name(),
                rs.Long("spec", "replicas") ?? 1,
                rs.Long("status", "replicas") ?? 0,
                rs.Long("status", "readyReplicas") ?? 0,
                Age(rs, now),
                containers,
                images,
                LabelSelector.FromJson(rs.Obj("spec", "selector")).ToString()));
        });

    private static readonly Printer StatefulSetPrinter = new(
        [
            NameColumn,
            new("Ready", "string", "Number of the pod with ready state"),
            AgeColumn,
            ContainersColumn,
            ImagesColumn,
        ],
        (sts, now) =>
        {
            var (containers, images) = ContainerCells(sts);
            return new PrintedRow(Cells(
                sts.Name(),
                Inv($"{sts.Long("status", "readyReplicas") ?? 0}/{sts.Long("spec", "replicas") ?? 1}"),
                Age(sts, now),
                containers,
                images));
        });

    private static readonly Printer DaemonSetPrinter = new(
        [
            NameColumn,
            new("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            new("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            new("Ready", "integer", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
            new("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
            new("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
            AgeColumn,
            ContainersColumn,
            ImagesColumn,
            new("Selector", "string", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
        ],
        (ds, now) =>
        {
            var (containers, images) = ContainerCells(ds);
            var selector = LabelSelector.FromJson(ds.Obj("spec", "selector")).ToString();
            return new PrintedRow(Cells(
                ds.Name(),
                ds.Long("status", "desiredNumberScheduled") ?? 0,
                ds.Long("status", "currentNumberScheduled") ?? 0,
                ds.Long("status", "numberReady") ?? 0,
                ds.Long("status", "updatedNumberScheduled") ?? 0,
                ds.Long("status", "numberAvailable") ?? 0,
                LabelSelector.FormatLabels(ds.StringMap("spec", "template", "spec", "nodeSelector")),
                Age(ds, now),
                containers,
                images,
                OrNone(selector)));
        });

    private static readonly Printer ServiceAccountPrinter = new(
        [
            NameColumn,
            new("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret"),
            AgeColumn,
        ],
        (sa, now) => new PrintedRow(Cells(sa.Name(), (long)(sa.Arr("secrets")?.Count ?? 0), Age(sa, now))));

    private static readonly Printer ConfigMapPrinter = new(
        [
            NameColumn,
            new("Data", "string", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
            AgeColumn,
        ],
        (cm, now) => new PrintedRow(Cells(cm.Name(), (long)((cm.Obj("data")?.Count ?? 0) + (cm.Obj("binaryData")?.Count ?? 0)), Age(cm, now))));

    private static readonly Printer SecretPrinter = new(
        [
            NameColumn,
            new("Type", "string", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
            new("Data", "string", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
            AgeColumn,
        ],
        (s, now) => new PrintedRow(Cells(s.Name(), s.Str("type") ?? "", (long)(s.Obj("data")?.Count ?? 0), Age(s, now))));

    /// <summary>layoutContainerCells: the template's container names and images, comma-joined.</summary>
    private static (string Names, string Images) ContainerCells(JsonObject workload)
    {
        var containers = workload.Arr("spec", "template", "spec", "containers")?.OfType<JsonObject>().ToList() ?? [];
        return (
            string.Join(",", containers.Select(c => c.Str("name") ?? "")),
            string.Join(",", containers.Select(c => c.Str("image") ?? "")));
    }
}
