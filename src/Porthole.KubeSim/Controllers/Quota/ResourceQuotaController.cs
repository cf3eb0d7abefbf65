using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Quota;

/// <summary>
/// Keeps every ResourceQuota's status (hard, used) current, as kube-controller-manager's resource
/// quota controller does: a change to any object in a namespace with quotas recomputes that
/// namespace's quotas (deletes and pods finishing free their share), and all of them are
/// recomputed every 30 s and after a relist.
/// </summary>
internal sealed class ResourceQuotaController : ControllerLoop
{
    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(30);

    private readonly ResourceQuotas _quotas;
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private DateTimeOffset _nextResync = DateTimeOffset.MinValue;

    public ResourceQuotaController(ObjectStore store, ResourceRegistry registry, ResourceQuotas quotas, TimeProvider time, ILogger logger)
        : base(store, time, logger, [.. registry.All.Where(t => t.Namespaced && !t.IsVirtual)])
    {
        _quotas = quotas;
    }

    protected override void Observe(WatchEvent e)
    {
        if (e.Object.Namespace.Length > 0 && !_dirty.Contains(e.Object.Namespace) && Store.Count(_quotas.Type, e.Object.Namespace) > 0)
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
            foreach (var ns in Store.All(_quotas.Type).Select(q => q.Namespace).Distinct(StringComparer.Ordinal))
            {
                _quotas.Refresh(ns);
            }

            _nextResync = now + ResyncPeriod;
            return _nextResync;
        }

        foreach (var ns in _dirty)
        {
            _quotas.Refresh(ns);
        }

        _dirty.Clear();
        return _nextResync;
    }
}
