using System.Diagnostics.Metrics;

namespace Porthole.Diagnostics;

/// <summary>Porthole's instruments (meter "Porthole"), exported at /metrics by <see cref="PrometheusExporter"/>.</summary>
public sealed class PortholeMetrics : IDisposable
{
    public const string MeterName = "Porthole";

    private readonly Meter _meter;
    private readonly Counter<long> _kubeCalls;
    private readonly Counter<long> _kubeErrors;
    private Func<IEnumerable<Measurement<long>>> _circuits = () => [];
    private long _inFlight;

    public PortholeMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        Requests = _meter.CreateCounter<long>("porthole_http_requests_total", description: "HTTP requests by route, method and status");
        RequestDuration = _meter.CreateHistogram<double>("porthole_http_request_duration_seconds", unit: "s", description: "HTTP request latency by route");
        _meter.CreateObservableGauge("porthole_http_requests_in_flight", () => Interlocked.Read(ref _inFlight), description: "HTTP requests being served now");
        OpenWebSockets = _meter.CreateUpDownCounter<long>("porthole_websockets_open", description: "Open WebSocket connections by kind");
        UpstreamWatches = _meter.CreateUpDownCounter<long>("porthole_upstream_watches", description: "Open watches on Kubernetes API servers by cluster");
        _kubeCalls = _meter.CreateCounter<long>("porthole_kubernetes_requests_total", description: "Kubernetes API calls by cluster and HTTP status");
        _kubeErrors = _meter.CreateCounter<long>("porthole_kubernetes_errors_total", description: "Kubernetes API calls that got no answer, by cluster and reason (transport, timeout, circuit_open)");
        _meter.CreateObservableGauge("porthole_cluster_circuit_state", () => _circuits(), description: "Circuit breaker state by cluster: 0 closed, 1 open, 2 half-open");
    }

    public Counter<long> Requests { get; }

    public Histogram<double> RequestDuration { get; }

    public UpDownCounter<long> OpenWebSockets { get; }

    public UpDownCounter<long> UpstreamWatches { get; }

    /// <summary>HTTP requests being served now (read by the drain to log what it waits for).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public void KubeCall(string cluster, int status) => _kubeCalls.Add(1, new("cluster", cluster), new("code", status));

    public void KubeError(string cluster, string reason) => _kubeErrors.Add(1, new("cluster", cluster), new("reason", reason));

    /// <summary>Where the circuit-state gauge reads its values (the cluster registry).</summary>
    public void ObserveCircuits(Func<IEnumerable<Measurement<long>>> circuits) => _circuits = circuits;

    public void Dispose() => _meter.Dispose();
}
