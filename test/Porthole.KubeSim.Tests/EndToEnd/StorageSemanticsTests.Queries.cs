using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.EndToEnd;

public sealed partial class StorageSemanticsTests
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);

    private static async Task<string[]> NamesAsync(Kubernetes client, string ns, string? labelSelector = null, string? fieldSelector = null) =>
        (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, fieldSelector: fieldSelector)).Items.Select(p => p.Metadata.Name).Order().ToArray();

    [Fact]
    public async Task ListPods_EveryLabelOperatorAndFieldSelector_FiltersAsApiServer()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "sel");
        var p1 = await E2e.RunPodAsync(client, ns, E2e.Pod("p1", Labels(("app", "web"), ("tier", "front"))));
        await E2e.RunPodAsync(client, ns, E2e.Pod("p2", Labels(("app", "web"), ("tier", "back"))));
        await E2e.RunPodAsync(client, ns, E2e.Pod("p3", Labels(("app", "db"))));
        var pending = E2e.Pod("p4", Labels(("app", "batch")));
        pending.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "nowhere" };
        await client.CoreV1.CreateNamespacedPodAsync(pending, ns);

        Assert.Equal(["p1", "p2"], await NamesAsync(client, ns, "app=web"));
        Assert.Equal(["p1", "p2"], await NamesAsync(client, ns, "app==web"));
        Assert.Equal(["p3", "p4"], await NamesAsync(client, ns, "app!=web"));
        Assert.Equal(["p1", "p2"], await NamesAsync(client, ns, "tier in (front,back)"));
        Assert.Equal(["p2", "p3", "p4"], await NamesAsync(client, ns, "tier notin (front)"));
        Assert.Equal(["p1", "p2"], await NamesAsync(client, ns, "tier"));
        Assert.Equal(["p3", "p4"], await NamesAsync(client, ns, "!tier"));
        Assert.Equal(["p1"], await NamesAsync(client, ns, "app=web,tier!=back"));

        Assert.Equal(["p1", "p2", "p3"], await NamesAsync(client, ns, fieldSelector: "status.phase=Running"));
        Assert.Equal(["p4"], await NamesAsync(client, ns, fieldSelector: "status.phase!=Running"));
        Assert.Equal(["p2"], await NamesAsync(client, ns, fieldSelector: "metadata.name=p2"));
        Assert.Equal(["p4"], await NamesAsync(client, ns, fieldSelector: "spec.nodeName="));
        var onNode = await NamesAsync(client, ns, fieldSelector: $"spec.nodeName={p1.Spec.NodeName}");
        Assert.Contains("p1", onNode);
        Assert.DoesNotContain("p4", onNode);
        Assert.Equal(["p1"], await NamesAsync(client, ns, "app=web", "metadata.name!=p2"));
    }

    [Fact]
    public async Task ListPods_KubectlTableAccept_ReturnsPodColumns()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "table");
        var pod = await E2e.RunPodAsync(client, ns, E2e.Pod("tabled"));
        using var http = _sim.Http();
        var table = await E2e.GetJsonAsync(http, $"/api/v1/namespaces/{ns}/pods", TableAccept);
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.Equal(
            ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"],
            table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        var cells = Assert.Single(table["rows"]!.AsArray())!["cells"]!.AsArray();
        Assert.Equal("tabled", (string?)cells[0]);
        Assert.Equal("1/1", (string?)cells[1]);
        Assert.Equal("Running", (string?)cells[2]);
        Assert.Equal(pod.Status.PodIP, (string?)cells[5]);
        Assert.Equal(pod.Spec.NodeName, (string?)cells[6]);
        Assert.Equal("PartialObjectMetadata", (string?)table["rows"]![0]!["object"]!["kind"]);
    }

    private static V1Patch Apply(string name, string data) =>
        new($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\"}},\"data\":{data}}}", V1Patch.PatchType.ApplyPatch);

    private static JsonObject? FieldsOf(V1ConfigMap cm, string manager)
    {
        var entry = cm.Metadata.ManagedFields?.SingleOrDefault(f => f.Manager == manager);
        return entry is null ? null : E2e.Json(entry.FieldsV1);
    }

    [Fact]
    public async Task ServerSideApply_ConflictThenForce_TransfersOwnership()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "ssa");
        var first = await client.CoreV1.PatchNamespacedConfigMapAsync(Apply("cfg", "{\"a\":\"1\",\"b\":\"1\"}"), "cfg", ns, fieldManager: "mgr-a");
        Assert.Equal("1", first.Data["a"]);
        var entry = Assert.Single(first.Metadata.ManagedFields);
        Assert.Equal(("mgr-a", "Apply"), (entry.Manager, entry.Operation));
        Assert.NotNull(FieldsOf(first, "mgr-a")!["f:data"]!["f:a"]);

        var (code, status) = await E2e.FailureAsync(() =>
            client.CoreV1.PatchNamespacedConfigMapAsync(Apply("cfg", "{\"a\":\"2\"}"), "cfg", ns, fieldManager: "mgr-b"));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"mgr-a\": .data.a", (string?)status["message"]);
        Assert.Equal("1", (await client.CoreV1.ReadNamespacedConfigMapAsync("cfg", ns)).Data["a"]);

        var forced = await client.CoreV1.PatchNamespacedConfigMapAsync(Apply("cfg", "{\"a\":\"2\"}"), "cfg", ns, fieldManager: "mgr-b", force: true);
        Assert.Equal("2", forced.Data["a"]);
        Assert.Equal("1", forced.Data["b"]);
        Assert.NotNull(FieldsOf(forced, "mgr-b")!["f:data"]!["f:a"]);
        var aFields = FieldsOf(forced, "mgr-a")!;
        Assert.NotNull(aFields["f:data"]!["f:b"]);
        Assert.Null(aFields["f:data"]!["f:a"]);
    }
}
