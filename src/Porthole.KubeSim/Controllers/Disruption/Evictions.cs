using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Controllers.Disruption;

/// <summary>
/// The pods/eviction subresource as the API server runs it: a pod covered by a
/// PodDisruptionBudget is deleted only when the budget allows one more disruption, which the
/// eviction takes (disruptionsAllowed - 1, the pod noted in disruptedPods); otherwise 429
/// TooManyRequests with a DisruptionBudget cause, which kubectl drain retries.
/// </summary>
public sealed class Evictions
{
    private const string Violation = "Cannot evict pod as it would violate the pod's disruption budget.";

    private readonly ObjectStore _store;
    private readonly Deleter _deleter;
    private readonly TimeProvider _time;
    private readonly DisruptionBudgets _budgets;

    public Evictions(ObjectStore store, ResourceRegistry registry, Deleter deleter, TimeProvider time)
    {
        _store = store;
        _deleter = deleter;
        _time = time;
        _budgets = new DisruptionBudgets(store, registry);
    }

    /// <summary>Evicts one pod, or throws the API server's refusal.</summary>
    public void Evict(string ns, string name, DeleteOptions options)
    {
        var pods = _budgets.Pods;
        var pod = (_store.Get(pods, ns, name) ?? throw ApiException.NotFound(pods, name)).Parse();
        if (!CanIgnoreBudget(pod))
        {
            var budgets = _budgets.BudgetsFor(pod);
            if (budgets.Count > 1)
            {
                throw new ApiException(500, "InternalError", "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            if (budgets.Count == 1)
            {
                TakeDisruption(budgets[0], pod, options.DryRun);
            }
        }

        _deleter.Delete(pods, ns, name, options);
    }

    /// <summary>Terminal, pending and already deleting pods are not protected by a budget.</summary>
    private static bool CanIgnoreBudget(JsonObject pod) =>
        pod.Str("status", "phase") is "Succeeded" or "Failed" or "Pending" || pod.Str("metadata", "deletionTimestamp") is not null;

    private void TakeDisruption(StoredObject budget, JsonObject pod, bool dryRun)
    {
        var name = budget.Name;
        _store.Mutate(_budgets.Budgets, budget.Namespace, name, pdb =>
        {
            var status = pdb.Obj("status") ?? [];
            if ((status.Long("observedGeneration") ?? 0) < (pdb.Long("metadata", "generation") ?? 1))
            {
                throw TooManyRequests(10, $"The disruption budget {name} is still being processed by the server.");
            }

            var allowed = status.Long("disruptionsAllowed") ?? 0;
            var healthy = status.Long("currentHealthy") ?? 0;
            var desired = status.Long("desiredHealthy") ?? 0;
            if (allowed < 0)
            {
                throw ApiException.Forbidden($"poddisruptionbudgets.policy \"{name}\" is forbidden: pdb disruptions allowed is negative", _budgets.Budgets, name);
            }

            // An unready pod does not count as healthy: evicting it costs nothing while the budget is met (IfHealthyBudget).
            if (!DisruptionBudgets.IsReady(pod)
                && (pdb.Str("spec", "unhealthyPodEvictionPolicy") == "AlwaysAllow" || (healthy >= desired && desired > 0)))
            {
                return false;
            }

            if (allowed == 0)
            {
                throw TooManyRequests(0, $"The disruption budget {name} needs {desired} healthy pods and has {healthy} currently");
            }

            if (dryRun)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            status["disruptionsAllowed"] = allowed - 1;
            var disrupted = status.Obj("disruptedPods") ?? [];
            disrupted[pod.Name()] = Server.ObjectRules.Timestamp(now);
            status["disruptedPods"] = disrupted;
            if (allowed - 1 == 0)
            {
                status["conditions"] = DisruptionBudgets.Conditions(status, false, "InsufficientPods", "", status.Long("observedGeneration") ?? 1, now);
            }

            pdb["status"] = status;
            return true;
        });
    }

    private static ApiException TooManyRequests(int retryAfter, string cause)
    {
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }),
        };
        if (retryAfter > 0)
        {
            details["retryAfterSeconds"] = retryAfter;
        }

        return new ApiException(429, "TooManyRequests", Violation, details);
    }
}
