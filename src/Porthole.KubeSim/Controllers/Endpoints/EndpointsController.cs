using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Controllers.Batch;
using Porthole.KubeSim.Server;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Endpoints;

/// <summary>
/// The Endpoints and EndpointSlice controllers: for every Service with a selector, the matching
/// pods' IPs (ready and not ready), node and targetRef, with the service's ports resolved against
/// the pods' container ports, kept live as pods and services change.
/// </summary>
internal sealed partial class EndpointsController : ControllerLoop
{
    public const string ManagedBy = "endpointslice-controller.k8s.io";
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    private const string TriggerTime = "endpoints.kubernetes.io/last-change-trigger-time";

    private readonly ControllerObjects _objects;
    private readonly ResourceType _services;
    private readonly ResourceType _pods;
    private readonly ResourceType _endpoints;
    private readonly ResourceType _slices;
    private readonly HashSet<string> _dirtyServices = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyNamespaces = new(StringComparer.Ordinal);

    public EndpointsController(KubeSimContext sim, ILogger logger)
        : base(sim.Store, sim.Time, logger, JobController.Find(sim, "", "services"), JobController.Find(sim, "", "pods"))
    {
        _objects = new ControllerObjects(sim);
        _services = JobController.Find(sim, "", "services");
        _pods = JobController.Find(sim, "", "pods");
        _endpoints = JobController.Find(sim, "", "endpoints");
        _slices = JobController.Find(sim, "discovery.k8s.io", "endpointslices");
    }

    protected override void Observe(WatchEvent e)
    {
        if (e.StorageKey == _services.StorageKey)
        {
            _dirtyServices.Add(e.Object.Namespace + "/" + e.Object.Name);
        }
        else if (PodChangeMatters(e))
        {
            _dirtyNamespaces.Add(e.Object.Namespace);
        }
    }

    protected override void Resync()
    {
        foreach (var svc in Store.All(_services))
        {
            _dirtyServices.Add(svc.Namespace + "/" + svc.Name);
        }
    }

    protected override DateTimeOffset? Sync(DateTimeOffset now)
    {
        foreach (var ns in _dirtyNamespaces)
        {
            foreach (var svc in Store.All(_services, ns))
            {
                _dirtyServices.Add(svc.Namespace + "/" + svc.Name);
            }
        }

        _dirtyNamespaces.Clear();
        foreach (var key in _dirtyServices.ToList())
        {
            _dirtyServices.Remove(key);
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            try
            {
                SyncService(key[..slash], key[(slash + 1)..], now);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                _dirtyServices.Add(key);
                return now + TimeSpan.FromMilliseconds(100);
            }
        }

        return null;
    }

    /// <summary>Only pod changes that can move an endpoint: IP, readiness, phase, labels, deletion, node.</summary>
    private static bool PodChangeMatters(WatchEvent e)
    {
        if (e.Type != WatchEvent.Modified || e.Previous is null)
        {
            return true;
        }

        JsonObject now = e.Object.Parse(), before = e.Previous.Parse();
        return Fingerprint(now) != Fingerprint(before);
    }

    private static string Fingerprint(JsonObject pod) => string.Join('|',
        pod.Str("status", "podIP"),
        pod.Str("status", "phase"),
        pod.Str("spec", "nodeName"),
        pod.Str("metadata", "deletionTimestamp"),
        pod.Obj("metadata", "labels")?.ToJsonString(),
        IsReady(pod));

    private static bool IsReady(JsonObject pod) =>
        pod.Arr("status", "conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true;

    private void SyncService(string ns, string name, DateTimeOffset now)
    {
        var svc = Store.Get(_services, ns, name)?.Parse();
        if (svc is null || svc.Str("metadata", "deletionTimestamp") is not null)
        {
            if (Store.Get(_endpoints, ns, name) is not null)
            {
                _objects.Sim.Controllers.Deleter.Delete(_endpoints, ns, name, DeleteOptions.Default);
            }

            return;
        }

        var selector = svc.StringMap("spec", "selector");
        if (selector.Count == 0 || svc.Str("spec", "type") == "ExternalName")
        {
            return;
        }

        var pods = Store.All(_pods, ns)
            .Where(p => selector.All(s => p.Labels.TryGetValue(s.Key, out var v) && v == s.Value))
            .Select(p => p.Parse())
            .Where(p => !string.IsNullOrEmpty(p.Str("status", "podIP")) && p.Str("status", "phase") is not ("Succeeded" or "Failed"))
            .OrderBy(p => p.Name(), StringComparer.Ordinal)
            .ToList();
        var publishNotReady = svc.Bool("spec", "publishNotReadyAddresses") == true;
        var targets = pods.Select(p => new Target(p, publishNotReady || IsReady(p), p.Str("metadata", "deletionTimestamp") is not null, Ports(svc, p))).ToList();
        var at = Kubelet.SimFormat.Time(now);
        WriteEndpoints(svc, targets, at);
        WriteSlices(svc, targets, at);
    }

    /// <summary>The service's ports with targetPort resolved against one pod (named ports via its containers).</summary>
    private static JsonArray Ports(JsonObject svc, JsonObject pod)
    {
        var ports = new JsonArray();
        foreach (var port in svc.Arr("spec", "ports")?.OfType<JsonObject>() ?? [])
        {
            var target = port["targetPort"] ?? port["port"];
            long? number = target is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
            if (number is null && target?.ToString() is { } named)
            {
                number = long.TryParse(named, out var parsed) ? parsed : pod.Arr("spec", "containers")?.OfType<JsonObject>()
                    .SelectMany(c => c.Arr("ports")?.OfType<JsonObject>() ?? [])
                    .FirstOrDefault(p => p.Str("name") == named)?.Long("containerPort");
            }

            if (number is null)
            {
                continue;
            }

            var resolved = new JsonObject();
            if (port.Str("name") is { Length: > 0 } portName)
            {
                resolved["name"] = portName;
            }

            resolved["port"] = number;
            resolved["protocol"] = port.Str("protocol") ?? "TCP";
            if (port.Str("appProtocol") is { } app)
            {
                resolved["appProtocol"] = app;
            }

            ports.Add(resolved);
        }

        return ports;
    }

    private static JsonObject TargetRef(JsonObject pod) => new()
    {
        ["kind"] = "Pod",
        ["namespace"] = pod.Namespace(),
        ["name"] = pod.Name(),
        ["uid"] = pod.Uid(),
    };

    /// <summary>One pod behind a service: readiness, whether it is terminating, and its resolved ports.</summary>
    private sealed record Target(JsonObject Pod, bool Ready, bool Terminating, JsonArray Ports)
    {
        public string PortsKey => Ports.ToJsonString();

        public string Ip => Pod.Str("status", "podIP") ?? "";
    }
}
