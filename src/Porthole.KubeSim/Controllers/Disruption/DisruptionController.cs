using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Disruption;

/// <summary>
/// Keeps every PodDisruptionBudget's status current (currentHealthy, desiredHealthy,
/// disruptionsAllowed, expectedPods, observedGeneration, the DisruptionAllowed condition):
/// recomputes the budgets of namespaces where pods, budgets or workload scales changed, and
/// all of them every 10 s and after a relist.
/// </summary>
internal sealed class DisruptionController : ControllerLoop
{
    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(10);

    private readonly DisruptionBudgets _budgets;
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private DateTimeOffset _nextResync = DateTimeOffset.MinValue;

    public DisruptionController(ObjectStore store, ResourceRegistry registry, TimeProvider time, ILogger logger)
        : base(store, time, logger, Watched(registry))
    {
        _budgets = new DisruptionBudgets(store, registry);
    }

    /// <summary>Pods, budgets and the workloads whose scale a budget may be a percentage of.</summary>
    private static ResourceType[] Watched(ResourceRegistry registry) =>
        [.. new[] { ("", "pods"), ("policy", "poddisruptionbudgets"), ("apps", "replicasets"), ("apps", "deployments"), ("apps", "statefulsets"), ("", "replicationcontrollers") }
            .Select(r => registry.Find(r.Item1, "v1", r.Item2))
            .OfType<ResourceType>()];

    protected override void Observe(WatchEvent e)
    {
        if (!_dirty.Contains(e.Object.Namespace) && Store.Count(_budgets.Budgets, e.Object.Namespace) > 0)
        {
            _dirty.Add(e.Object.Namespace);
        }
    }

    protected override void Resync() => _nextResync = DateTimeOffset.MinValue;

    protected override DateTimeOffset? Sync(DateTimeOffset now)
    {
        if (now >= _nextResync)
        {
            _dirty.Clear();
            SyncAll();
            _nextResync = now + ResyncPeriod;
            return _nextResync;
        }

        foreach (var ns in _dirty)
        {
            SyncNamespace(ns);
        }

        _dirty.Clear();
        return _nextResync;
    }

    private void SyncAll()
    {
        foreach (var ns in Store.All(_budgets.Budgets).Select(b => b.Namespace).Distinct(StringComparer.Ordinal))
        {
            SyncNamespace(ns);
        }
    }

    private void SyncNamespace(string ns)
    {
        foreach (var stored in Store.All(_budgets.Budgets, ns))
        {
            var pdb = stored.Parse();
            var status = _budgets.Status(pdb, Time.GetUtcNow());
            if (JsonNode.DeepEquals(pdb["status"], status))
            {
                continue;
            }

            try
            {
                // Written only over the version computed from: a budget changed meanwhile (an eviction) is recomputed on its own event.
                Store.Mutate(_budgets.Budgets, ns, stored.Name, o =>
                {
                    if (o.ResourceVersion() != pdb.ResourceVersion())
                    {
                        return false;
                    }

                    o["status"] = status;
                    return true;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // deleted meanwhile
            }
        }
    }
}
