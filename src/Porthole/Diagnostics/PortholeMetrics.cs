using System.Diagnostics.Metrics;

namespace Porthole.Diagnostics;

/// <summary>Porthole's instruments (meter "Porthole"), exported at /metrics by <see cref="PrometheusExporter"/>.</summary>
public sealed class PortholeMetrics : IDisposable
{
    public const string MeterName = "Porthole";

    private readonly Meter _meter;

    public PortholeMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        Requests = _meter.CreateCounter<long>("porthole_http_requests_total", description: "HTTP requests by route, method and status");
        RequestDuration = _meter.CreateHistogram<double>("porthole_http_request_duration_seconds", unit: "s", description: "HTTP request latency by route");
    }

    public Counter<long> Requests { get; }

    public Histogram<double> RequestDuration { get; }

    public void Dispose() => _meter.Dispose();
}
