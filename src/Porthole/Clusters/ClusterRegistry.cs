using System.Text;
using k8s;
using k8s.KubeConfigModels;
using Porthole.Hosting;

namespace Porthole.Clusters;

/// <summary>
/// The clusters Porthole serves: the pod's service account first, then every context of the
/// kubeconfig (or of the in-process demo KubeSim). Filled at start; read by every request.
/// </summary>
public sealed class ClusterRegistry
{
    private volatile IReadOnlyList<ClusterEntry> _clusters = [];

    public IReadOnlyList<ClusterEntry> Clusters => _clusters;

    /// <summary>The user of the kubeconfig's current context: the identity of auth mode none.</summary>
    public string? CurrentUser { get; private set; }

    /// <summary>True once clusters have been loaded (the demo cluster starts asynchronously).</summary>
    public bool Loaded { get; private set; }

    public static ClusterRegistry FromOptions(PortholeOptions options)
    {
        var registry = new ClusterRegistry();
        if (options.Demo)
        {
            return registry; // DemoClusterService loads it once KubeSim listens.
        }

        var entries = new List<ClusterEntry>();
        if (options.InCluster)
        {
            entries.Add(new ClusterEntry("in-cluster", KubernetesClientConfiguration.InClusterConfig()));
        }

        if (options.Kubeconfig is not null)
        {
            using var stream = File.OpenRead(options.Kubeconfig);
            registry.LoadKubeconfig(stream, entries);
            return registry;
        }

        registry.Set(entries, currentUser: null);
        return registry;
    }

    /// <summary>Loads every context of a kubeconfig (YAML text) as a cluster.</summary>
    public void LoadKubeconfig(string yaml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml));
        LoadKubeconfig(stream, []);
    }

    private void LoadKubeconfig(Stream stream, List<ClusterEntry> entries)
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(stream);
        foreach (var context in config.Contexts ?? [])
        {
            entries.Add(new ClusterEntry(context.Name, KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context.Name)));
        }

        var current = config.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext);
        Set(entries, current?.ContextDetails?.User);
    }

    private void Set(List<ClusterEntry> entries, string? currentUser)
    {
        CurrentUser = currentUser;
        _clusters = entries;
        Loaded = true;
    }
}

/// <summary>One configured cluster: a kubeconfig context (or the service account) and how to reach it.</summary>
public sealed record ClusterEntry(string Name, KubernetesClientConfiguration Configuration)
{
    public string Server => Configuration.Host;
}
