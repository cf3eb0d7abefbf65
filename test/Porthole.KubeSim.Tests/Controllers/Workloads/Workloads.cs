using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Controllers.Workloads;

/// <summary>Objects and waits shared by the workload controller tests.</summary>
internal static class Workloads
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static async Task<string> NamespaceAsync(Kubernetes client, string name)
    {
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static V1PodTemplateSpec Template(string app, string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
    };

    public static V1Deployment Deployment(string name, string image, int replicas, string strategy = "RollingUpdate", int? historyLimit = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            RevisionHistoryLimit = historyLimit,
            Strategy = new V1DeploymentStrategy { Type = strategy },
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Template(name, image),
        },
    };

    /// <summary>Waits until the Deployment reports every replica updated and available for its current generation.</summary>
    public static Task<V1Deployment> RolledOutAsync(Kubernetes client, string ns, string name, int replicas) =>
        Eventually.GetAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns),
            d => d.Status?.ObservedGeneration >= d.Metadata.Generation && d.Status?.UpdatedReplicas == replicas
                && d.Status?.AvailableReplicas == replicas && (d.Status?.Replicas ?? 0) == replicas,
            Deadline,
            $"deployment {ns}/{name} rolled out to {replicas}");

    /// <summary>Waits until exactly <paramref name="count"/> pods matching the selector exist, none terminating, all Running.</summary>
    public static Task<V1PodList> PodsAsync(Kubernetes client, string ns, string selector, int count, Func<V1Pod, bool>? also = null) =>
        Eventually.GetAsync(
            () => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector),
            l => l.Items.Count == count && l.Items.All(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running" && (also?.Invoke(p) ?? true)),
            Deadline,
            $"{count} running pods {ns}/{selector}");

    public static string Revision(V1ObjectMeta meta) => (meta.Annotations is { } a && a.TryGetValue("deployment.kubernetes.io/revision", out var r) ? r : "");

    public static Task PatchImageAsync(Kubernetes client, string ns, string name, string image) =>
        client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}", V1Patch.PatchType.StrategicMergePatch), name, ns);
}
