using System.Diagnostics.Metrics;
using System.Text;
using k8s;
using Polly.CircuitBreaker;
using Porthole.Diagnostics;
using Porthole.Hosting;

namespace Porthole.Clusters;

/// <summary>
/// The clusters Porthole serves: the pod's service account first, then every context of the
/// kubeconfig (or of the in-process demo KubeSim). Filled once at start; read by every request.
/// </summary>
public sealed class ClusterRegistry : IDisposable
{
    private readonly ClusterBreakerOptions _breaker;
    private readonly PortholeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyList<Cluster> _clusters = [];

    public ClusterRegistry(PortholeOptions options, PortholeMetrics metrics, TimeProvider time, ILogger<ClusterRegistry> logger)
    {
        _breaker = ClusterBreakerOptions.From(options);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.ObserveCircuits(() => _clusters.Select(c => new Measurement<long>(StateValue(c.Circuit), new KeyValuePair<string, object?>("cluster", c.Name))));
        if (options.Demo)
        {
            return; // DemoClusterService loads it once KubeSim listens.
        }

        var clusters = new List<Cluster>();
        if (options.InCluster)
        {
            clusters.Add(Create("in-cluster", KubernetesClientConfiguration.InClusterConfig()));
        }

        if (options.Kubeconfig is null)
        {
            Set(clusters, currentUser: null);
            return;
        }

        using var stream = File.OpenRead(options.Kubeconfig);
        LoadKubeconfig(stream, clusters);
    }

    public IReadOnlyList<Cluster> Clusters => _clusters;

    /// <summary>The user of the kubeconfig's current context: the identity of auth mode none.</summary>
    public string? CurrentUser { get; private set; }

    /// <summary>True once clusters have been loaded (the demo cluster starts asynchronously).</summary>
    public bool Loaded => _loaded.Task.IsCompleted;

    /// <summary>Completes when clusters have been loaded.</summary>
    public Task WhenLoaded => _loaded.Task;

    public Cluster? Find(string name) => _clusters.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>Loads every context of a kubeconfig (YAML text) as a cluster.</summary>
    public void LoadKubeconfig(string yaml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml));
        LoadKubeconfig(stream, []);
    }

    private void LoadKubeconfig(Stream stream, List<Cluster> clusters)
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(stream);
        foreach (var context in config.Contexts ?? [])
        {
            clusters.Add(Create(context.Name, KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context.Name)));
        }

        var current = config.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext);
        Set(clusters, current?.ContextDetails?.User);
    }

    private Cluster Create(string name, KubernetesClientConfiguration configuration) =>
        new(name, configuration, _breaker, _metrics, _time, _logger);

    private void Set(List<Cluster> clusters, string? currentUser)
    {
        if (_loaded.Task.IsCompleted)
        {
            throw new InvalidOperationException("clusters are loaded once");
        }

        CurrentUser = currentUser;
        _clusters = clusters;
        _loaded.SetResult();
    }

    private static long StateValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 2,
        _ => 1,
    };

    public void Dispose()
    {
        foreach (var cluster in _clusters)
        {
            cluster.Dispose();
        }
    }
}
