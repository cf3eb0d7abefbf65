using System.Globalization;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Disruption;

/// <summary>
/// What the disruption controller computes for one PodDisruptionBudget: its pods, how many are
/// expected and must stay healthy (minAvailable or maxUnavailable, as numbers or percentages of
/// the owning controllers' scale), how many are healthy now and so how many disruptions are allowed.
/// </summary>
internal sealed class DisruptionBudgets
{
    /// <summary>How long an eviction is remembered in status.disruptedPods while the pod goes away.</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly ResourceType _pods;

    public DisruptionBudgets(ObjectStore store, ResourceRegistry registry)
    {
        _store = store;
        _registry = registry;
        _pods = Require("", "pods");
        Budgets = Require("policy", "poddisruptionbudgets");
    }

    public ResourceType Budgets { get; }

    public ResourceType Pods => _pods;

    /// <summary>The pods a budget selects (an empty selector selects every pod of its namespace).</summary>
    public IReadOnlyList<JsonObject> PodsOf(JsonObject pdb)
    {
        var selector = LabelSelector.FromJson(pdb.Obj("spec", "selector"));
        return _store.List(_pods, pdb.Namespace(), o => selector.Matches(o.Labels)).Items.Select(o => o.Parse()).ToList();
    }

    /// <summary>The budgets of a namespace whose selector matches the pod.</summary>
    public IReadOnlyList<StoredObject> BudgetsFor(JsonObject pod)
    {
        var labels = pod.Labels();
        return _store.List(Budgets, pod.Namespace(), o =>
        {
            var selector = LabelSelector.FromJson(o.Parse().Obj("spec", "selector"));
            return selector.Matches(labels);
        }).Items;
    }

    /// <summary>Computes the status the controller writes; a budget it cannot evaluate allows no disruption (SyncFailed).</summary>
    public JsonObject Status(JsonObject pdb, DateTimeOffset now)
    {
        var generation = pdb.Long("metadata", "generation") ?? 1;
        var old = pdb.Obj("status");
        var pods = PodsOf(pdb);
        var disrupted = DisruptedPods(old, pods, now);
        int expected, desired;
        try
        {
            (expected, desired) = Expected(pdb, pods);
        }
        catch (InvalidOperationException e)
        {
            var failed = Base(generation, 0, 0, 0, 0, disrupted);
            failed["conditions"] = Conditions(old, false, "SyncFailed", e.Message, generation, now);
            return failed;
        }

        var healthy = pods.Count(p => p.Str("metadata", "deletionTimestamp") is null && !disrupted.ContainsKey(p.Name()) && IsReady(p));
        var allowed = expected <= 0 ? 0 : Math.Max(0, healthy - desired);
        var status = Base(generation, allowed, healthy, desired, expected, disrupted);
        status["conditions"] = Conditions(old, allowed > 0, allowed > 0 ? "SufficientPods" : "InsufficientPods", "", generation, now);
        return status;
    }

    public static bool IsReady(JsonObject pod) =>
        pod.Arr("status", "conditions")?.OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true;

    /// <summary>The DisruptionAllowed condition, keeping its transition time while its status holds.</summary>
    public static JsonArray Conditions(JsonObject? oldStatus, bool allowed, string reason, string message, long generation, DateTimeOffset now)
    {
        var status = allowed ? "True" : "False";
        var previous = oldStatus?.Arr("conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == "DisruptionAllowed");
        var since = previous is not null && previous.Str("status") == status ? previous.Str("lastTransitionTime") : null;
        return new JsonArray(new JsonObject
        {
            ["type"] = "DisruptionAllowed",
            ["status"] = status,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = since ?? Server.ObjectRules.Timestamp(now),
            ["reason"] = reason,
            ["message"] = message,
        });
    }

    private static JsonObject Base(long generation, int allowed, int healthy, int desired, int expected, Dictionary<string, string> disrupted)
    {
        var status = new JsonObject();
        if (disrupted.Count > 0)
        {
            var map = new JsonObject();
            foreach (var (pod, at) in disrupted.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                map[pod] = at;
            }

            status["disruptedPods"] = map;
        }

        status["disruptionsAllowed"] = allowed;
        status["currentHealthy"] = healthy;
        status["desiredHealthy"] = desired;
        status["expectedPods"] = expected;
        status["observedGeneration"] = generation;
        return status;
    }

    /// <summary>Evictions still in flight: pods evicted less than two minutes ago that exist and are not yet being deleted.</summary>
    private static Dictionary<string, string> DisruptedPods(JsonObject? oldStatus, IReadOnlyList<JsonObject> pods, DateTimeOffset now)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (oldStatus?.Obj("disruptedPods") is not { } map)
        {
            return result;
        }

        var byName = pods.ToDictionary(p => p.Name(), StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var at)
                && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                && when + DeletionTimeout > now
                && byName.TryGetValue(name, out var pod) && pod.Str("metadata", "deletionTimestamp") is null)
            {
                result[name] = at;
            }
        }

        return result;
    }

    /// <summary>(expectedPods, desiredHealthy) as getExpectedPodCount has them.</summary>
    private (int Expected, int Desired) Expected(JsonObject pdb, IReadOnlyList<JsonObject> pods)
    {
        var spec = pdb.Obj("spec") ?? [];
        if (spec["maxUnavailable"] is { } maxUnavailable)
        {
            var expected = ExpectedScale(pods);
            var max = Scaled(maxUnavailable, expected);
            return (expected, Math.Max(0, expected - max));
        }

        if (spec["minAvailable"] is JsonValue minAvailable)
        {
            if (minAvailable.TryGetValue<string>(out _))
            {
                var expected = ExpectedScale(pods);
                return (expected, Scaled(minAvailable, expected));
            }

            return (pods.Count, (int)(minAvailable.Long() ?? 0));
        }

        return (0, 0);
    }

    /// <summary>intstr.GetScaledValueFromIntOrPercent rounding up.</summary>
    private static int Scaled(JsonNode value, int total)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (!text.EndsWith('%') || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            {
                throw new InvalidOperationException($"invalid value for IntOrString: invalid type: string is not a percentage");
            }

            return (int)Math.Ceiling(percent * total / 100.0);
        }

        return (int)(value.Long() ?? 0);
    }

    /// <summary>The summed scale of the controllers owning the pods (a Deployment's for its ReplicaSets).</summary>
    private int ExpectedScale(IReadOnlyList<JsonObject> pods)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var owner = ControllerRef(pod) ?? throw new InvalidOperationException($"found no controller ref for pod \"{pod.Name()}\"");
            var (uid, scale) = Scale(pod.Namespace(), owner) ?? throw new InvalidOperationException($"found no controllers for pod \"{pod.Name()}\"");
            seen[uid] = scale;
        }

        return seen.Values.Sum();
    }

    private (string Uid, int Scale)? Scale(string ns, JsonObject owner)
    {
        var kind = owner.Str("kind");
        var group = (owner.Str("apiVersion") ?? "").Split('/') is [var g, _] ? g : "";
        var plural = (group, kind) switch
        {
            ("apps", "ReplicaSet") => "replicasets",
            ("apps", "StatefulSet") => "statefulsets",
            ("apps", "Deployment") => "deployments",
            ("", "ReplicationController") => "replicationcontrollers",
            _ => null,
        };
        if (plural is null || _registry.Find(group, "v1", plural) is not { } type
            || _store.Get(type, ns, owner.Str("name") ?? "") is not { } stored || stored.Uid != owner.Str("uid"))
        {
            return null;
        }

        var obj = stored.Parse();
        if (plural == "replicasets" && ControllerRef(obj) is { } deployment && deployment.Str("kind") == "Deployment")
        {
            return Scale(ns, deployment);
        }

        return (stored.Uid, (int)(obj.Long("spec", "replicas") ?? 1));
    }

    private static JsonObject? ControllerRef(JsonObject obj) =>
        obj.Arr("metadata", "ownerReferences")?.OfType<JsonObject>().FirstOrDefault(o => o["controller"] is JsonValue c && c.TryGetValue<bool>(out var b) && b);

    private ResourceType Require(string group, string plural) =>
        _registry.Find(group, "v1", plural) ?? throw new InvalidOperationException($"{plural} are not registered");
}
