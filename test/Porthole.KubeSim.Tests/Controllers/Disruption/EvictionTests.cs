using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Controllers.Disruption;

/// <summary>pods/eviction against PodDisruptionBudgets, and the budgets' status, over HTTPS.</summary>
public sealed class EvictionTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public EvictionTests(SimFixture sim)
    {
        _sim = sim;
    }

    private async Task<Kubernetes> RunningPodsAsync(string ns, int count, IDictionary<string, string> labels, V1OwnerReference? owner = null)
    {
        var client = _sim.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        for (var i = 0; i < count; i++)
        {
            await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"p{i}", Labels = labels, OwnerReferences = owner is null ? null : [owner] },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
            }, ns);
        }

        await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync(ns), l => l.Items.Count(p => p.Status?.Phase == "Running") == count, what: "pods running");
        return client;
    }

    private static V1PodDisruptionBudget Budget(string name, IntOrString? minAvailable, IntOrString? maxUnavailable, IDictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            MaxUnavailable = maxUnavailable,
            Selector = new V1LabelSelector { MatchLabels = labels },
        },
    };

    private static Task<V1PodDisruptionBudget> StatusAsync(Kubernetes client, string ns, string name, Func<V1PodDisruptionBudgetStatus, bool> done) =>
        Eventually.GetAsync(() => client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns), b => b.Status is { } s && done(s), what: $"pdb {name} status");

    private async Task<(HttpStatusCode Code, JsonNode Body)> EvictAsync(string ns, string pod)
    {
        using var http = _sim.Http();
        var body = $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{pod}}}","namespace":"{{{ns}}}"}}""";
        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/{pod}/eviction", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Evict_BudgetExhausted_TooManyRequestsWithDisruptionBudgetCause()
    {
        var labels = new Dictionary<string, string> { ["app"] = "guarded" };
        var client = await RunningPodsAsync("evict-blocked", 2, labels);
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("guard", (IntOrString)2, null, labels), "evict-blocked");
        var pdb = await StatusAsync(client, "evict-blocked", "guard", s => s.ObservedGeneration == 1 && s.CurrentHealthy == 2);
        Assert.Equal(0, pdb.Status.DisruptionsAllowed);
        Assert.Equal(2, pdb.Status.DesiredHealthy);
        Assert.Equal(2, pdb.Status.ExpectedPods);
        var condition = Assert.Single(pdb.Status.Conditions);
        Assert.Equal(("DisruptionAllowed", "False", "InsufficientPods"), (condition.Type, condition.Status, condition.Reason));

        var (code, status) = await EvictAsync("evict-blocked", "p0");
        Assert.Equal((HttpStatusCode)429, code);
        Assert.Equal("TooManyRequests", (string?)status["reason"]);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", (string?)status["message"]);
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal("DisruptionBudget", (string?)cause["reason"]);
        Assert.Equal("The disruption budget guard needs 2 healthy pods and has 2 currently", (string?)cause["message"]);
        Assert.Null((await client.CoreV1.ReadNamespacedPodAsync("p0", "evict-blocked")).Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Evict_BudgetPermits_PodDeletedAndBudgetSpent()
    {
        var labels = new Dictionary<string, string> { ["app"] = "spare" };
        var client = await RunningPodsAsync("evict-allowed", 3, labels);
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("spare", (IntOrString)2, null, labels), "evict-allowed");
        await StatusAsync(client, "evict-allowed", "spare", s => s.DisruptionsAllowed == 1);

        var (code, status) = await EvictAsync("evict-allowed", "p0");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("Success", (string?)status["status"]);
        await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("evict-allowed"), l => l.Items.All(p => p.Metadata.Name != "p0"), what: "evicted pod gone");
        var spent = await StatusAsync(client, "evict-allowed", "spare", s => s.CurrentHealthy == 2 && s.DisruptionsAllowed == 0);
        Assert.Equal("InsufficientPods", spent.Status.Conditions.Single().Reason);

        var (again, _) = await EvictAsync("evict-allowed", "p1");
        Assert.Equal((HttpStatusCode)429, again);
    }

    [Fact]
    public async Task Status_PercentagesOfControllerScale_ComputedAsDisruptionController()
    {
        var client = _sim.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "pdb-percent" } });
        var labels = new Dictionary<string, string> { ["app"] = "scaled" };
        var rs = await client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "scaled" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 4,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
                },
            },
        }, "pdb-percent");
        // The ReplicaSet controller makes the four pods; the budgets read the scale from their owner.
        var pods = await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("pdb-percent"), l => l.Items.Count == 4, what: "four replicas");
        Assert.All(pods.Items, p => Assert.Equal(rs.Metadata.Uid, p.Metadata.OwnerReferences.Single().Uid));

        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("max-quarter", null, (IntOrString)"25%", labels), "pdb-percent");
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("min-half", (IntOrString)"50%", null, labels), "pdb-percent");
        var quarter = await StatusAsync(client, "pdb-percent", "max-quarter", s => s.CurrentHealthy == 4);
        Assert.Equal((4, 3, 1), (quarter.Status.ExpectedPods, quarter.Status.DesiredHealthy, quarter.Status.DisruptionsAllowed));
        Assert.Equal(1, quarter.Status.ObservedGeneration);
        Assert.Equal(("True", "SufficientPods"), (quarter.Status.Conditions.Single().Status, quarter.Status.Conditions.Single().Reason));
        var half = await StatusAsync(client, "pdb-percent", "min-half", s => s.CurrentHealthy == 4);
        Assert.Equal((4, 2, 2), (half.Status.ExpectedPods, half.Status.DesiredHealthy, half.Status.DisruptionsAllowed));

        // Two budgets over one pod: the eviction subresource refuses, as the API server does.
        var (code, status) = await EvictAsync("pdb-percent", pods.Items[0].Metadata.Name);
        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Contains("more than one PodDisruptionBudget", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_MaxUnavailableOverBarePods_SyncFailed()
    {
        var labels = new Dictionary<string, string> { ["app"] = "bare" };
        var client = await RunningPodsAsync("pdb-bare", 1, labels);
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("bare", null, (IntOrString)1, labels), "pdb-bare");
        var pdb = await StatusAsync(client, "pdb-bare", "bare", s => s.ObservedGeneration == 1);
        Assert.Equal(0, pdb.Status.DisruptionsAllowed);
        var condition = pdb.Status.Conditions.Single();
        Assert.Equal(("False", "SyncFailed"), (condition.Status, condition.Reason));
        Assert.Equal("found no controller ref for pod \"p0\"", condition.Message);
    }
}
