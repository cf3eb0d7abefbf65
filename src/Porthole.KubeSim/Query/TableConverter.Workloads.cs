using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Query;

/// <content>Printers for deployments, replica sets, config maps and secrets.</content>
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
