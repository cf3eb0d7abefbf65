using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Hosting;

/// <summary>
/// `--churn R`: a background loop making R object updates per second, paced by the
/// simulator's clock: an annotation bump on the pods of namespace "load" (when --pods seeded
/// some) or on 100 ConfigMaps there. The rate reached is measured in <see cref="SimCounters"/>.
/// </summary>
public sealed class SimChurn : IAsyncDisposable
{
    public const string Annotation = "kubesim.io/churn";

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly SimCounters _counters;
    private readonly object _gate = new();
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;

    internal SimChurn(ObjectStore store, ResourceRegistry registry, TimeProvider time, SimCounters counters)
    {
        _store = store;
        _registry = registry;
        _time = time;
        _counters = counters;
    }

    /// <summary>Updates per second asked for; 0 while stopped.</summary>
    public double TargetRate { get; private set; }

    /// <summary>Starts (or retargets) the loop at <paramref name="perSecond"/> updates per second.</summary>
    public void Start(double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        lock (_gate)
        {
            TargetRate = perSecond;
            if (_stop is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            var token = _stop.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Stops the loop and waits for it.</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        Task loop;
        lock (_gate)
        {
            stop = _stop;
            loop = _loop;
            _stop = null;
            TargetRate = 0;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync();
        await loop;
        stop.Dispose();
        _counters.Churned(0, 0);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RunAsync(CancellationToken ct)
    {
        var targets = Targets();
        var next = 0;
        var bump = 0L;
        var start = _time.GetUtcNow();
        var windowStart = start;
        var written = 0L;
        var inWindow = 0L;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(Tick, _time, ct);
                var now = _time.GetUtcNow();
                var rate = TargetRate;
                var due = (long)(rate * (now - start).TotalSeconds) - written;

                // After a stall catch up by at most a second's worth, rather than in one burst.
                if (due > rate)
                {
                    written += due - (long)rate;
                    due = (long)rate;
                }

                for (var i = 0; i < due; i++)
                {
                    var (type, name) = targets[next];
                    next = (next + 1) % targets.Count;
                    Bump(type, name, ++bump);
                }

                written += Math.Max(0, due);
                inWindow += Math.Max(0, due);
                if (now - windowStart >= Window)
                {
                    _counters.Churned(inWindow, inWindow / (now - windowStart).TotalSeconds);
                    windowStart = now;
                    inWindow = 0;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _counters.Churned(inWindow, 0);
        }
    }

    private void Bump(ResourceType type, string name, long value)
    {
        try
        {
            _store.Mutate(type, LoadSeed.Namespace, name, o =>
            {
                var meta = o.Metadata();
                var annotations = meta.Obj("annotations") ?? [];
                annotations[Annotation] = value.ToString(CultureInfo.InvariantCulture);
                meta["annotations"] = annotations;
                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // deleted by someone else: the next target takes the update
        }
    }

    /// <summary>The load pods, or 100 ConfigMaps in namespace "load" created for churning.</summary>
    private List<(ResourceType Type, string Name)> Targets()
    {
        var pods = _registry.Find("", "v1", "pods")!;
        var existing = _store.All(pods, LoadSeed.Namespace).Select(p => (pods, p.Name)).ToList();
        if (existing.Count > 0)
        {
            return existing;
        }

        var configMaps = _registry.Find("", "v1", "configmaps")!;
        var seeder = new Seeder(_store, _registry, _time);
        seeder.Add(Seeder.Namespace(LoadSeed.Namespace));
        var created = new List<(ResourceType, string)>();
        for (var i = 0; i < 100; i++)
        {
            var name = "churn-" + i.ToString("D3", CultureInfo.InvariantCulture);
            seeder.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = LoadSeed.Namespace },
                ["data"] = new JsonObject { ["purpose"] = "churn" },
            });
            created.Add((configMaps, name));
        }

        return created;
    }
}
