using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Porthole.Diagnostics;

/// <summary>
/// A small Prometheus text-format (0.0.4) exporter over System.Diagnostics.Metrics: listens to
/// this host's "Porthole" meter, sums counters and buckets histograms per tag set, and renders them.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Latency buckets in seconds (upper bounds).</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), Series> _series = new();
    private readonly ConcurrentDictionary<string, (string Type, string Help)> _meta = new();

    /// <param name="meters">This host's meter factory: only its "Porthole" meter is exported, so
    /// several hosts in one process (tests) never see each other's series.</param>
    public PrometheusExporter(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PortholeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                _meta[instrument.Name] = (TypeOf(instrument), instrument.Description ?? instrument.Name);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var tag in tags)
        {
            labels.Append(labels.Length == 0 ? "" : ",").Append(tag.Key).Append("=\"")
                .Append(Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }

        var series = _series.GetOrAdd((instrument.Name, labels.ToString()), _ => new Series(instrument is Histogram<double>));
        if (instrument.IsObservable)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    /// <summary>Histograms; gauges (observable gauges, up-down counters); counters.</summary>
    private static string TypeOf(Instrument instrument) => instrument switch
    {
        Histogram<double> => "histogram",
        _ when instrument.IsObservable || instrument is UpDownCounter<long> => "gauge",
        _ => "counter",
    };

    /// <summary>Renders every series in the Prometheus text exposition format.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal).ThenBy(s => s.Key.Labels, StringComparer.Ordinal).GroupBy(s => s.Key.Name))
        {
            var (type, help) = _meta.TryGetValue(group.Key, out var m) ? m : ("untyped", group.Key);
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(' ').Append(type).Append('\n');
            foreach (var ((name, labels), series) in group)
            {
                series.WriteTo(text, name, labels);
            }
        }

        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public void Dispose() => _listener.Dispose();

    private sealed class Series(bool histogram)
    {
        private readonly Lock _lock = new();
        private readonly long[] _buckets = histogram ? new long[Buckets.Length] : [];
        private double _sum;
        private long _count;

        public void Add(double value)
        {
            lock (_lock)
            {
                _sum += value;
                _count++;
                for (var i = 0; i < _buckets.Length; i++)
                {
                    if (value <= Buckets[i])
                    {
                        _buckets[i]++;
                    }
                }
            }
        }

        public void Set(double value)
        {
            lock (_lock)
            {
                _sum = value;
                _count = 1;
            }
        }

        public void WriteTo(StringBuilder text, string name, string labels)
        {
            lock (_lock)
            {
                if (!histogram)
                {
                    text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(_sum)).Append('\n');
                    return;
                }

                var prefix = labels.Length == 0 ? "" : labels + ",";
                for (var i = 0; i < _buckets.Length; i++)
                {
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Number(Buckets[i])).Append("\"} ").Append(_buckets[i]).Append('\n');
                }

                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(_count).Append('\n');
                text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(_sum)).Append('\n');
                text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(_count).Append('\n');
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
