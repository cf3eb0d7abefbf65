using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>
/// Area 4: storage semantics through the client: custom resources, cluster-scoped objects,
/// finalizers, selectors, server-side tables, server-side apply and dry run.
/// </summary>
public sealed partial class StorageSemanticsTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public StorageSemanticsTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static V1CustomResourceDefinition WidgetCrd(string group)
    {
        V1JSONSchemaProps Obj(Dictionary<string, V1JSONSchemaProps> props) => new() { Type = "object", Properties = props };
        return new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"widgets.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget", ListKind = "WidgetList" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = Obj(new()
                            {
                                ["spec"] = Obj(new() { ["size"] = new() { Type = "integer" }, ["color"] = new() { Type = "string" } }),
                                ["status"] = Obj(new() { ["ready"] = new() { Type = "boolean" } }),
                            }),
                        },
                    },
                ],
            },
        };
    }

    private static JsonObject Widget(string group, string name, int size) => new()
    {
        ["apiVersion"] = $"{group}/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size, ["color"] = "red" },
    };

    [Fact]
    public async Task CustomObjects_FullLifecycle_StatusSubresourceLeavesSpecAlone()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "cr");
        var group = $"{ns}.example.com";
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(WidgetCrd(group));
        await Eventually.GetAsync(
            () => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync($"widgets.{group}"),
            c => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true,
            what: "CRD established");
        var objects = client.CustomObjects;

        var created = E2e.Json(await objects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 1), group, "v1", ns, "widgets"));
        Assert.Equal(1, (int)created["metadata"]!["generation"]!);
        await objects.CreateNamespacedCustomObjectAsync(Widget(group, "w2", 2), group, "v1", ns, "widgets");

        var got = E2e.Json(await objects.GetNamespacedCustomObjectAsync(group, "v1", ns, "widgets", "w1"));
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)got["metadata"]!["uid"]);

        var list = E2e.Json(await objects.ListNamespacedCustomObjectAsync(group, "v1", ns, "widgets"));
        Assert.Equal("WidgetList", (string?)list["kind"]);
        Assert.Equal(["w1", "w2"], list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));

        var patched = E2e.Json(await objects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"size\":5}}", V1Patch.PatchType.MergePatch), group, "v1", ns, "widgets", "w1"));
        Assert.Equal(5, (int)patched["spec"]!["size"]!);
        Assert.Equal("red", (string?)patched["spec"]!["color"]);
        Assert.Equal(2, (int)patched["metadata"]!["generation"]!);

        patched["spec"]!["color"] = "blue";
        patched["status"] = new JsonObject { ["ready"] = true };
        var replaced = E2e.Json(await objects.ReplaceNamespacedCustomObjectAsync(patched, group, "v1", ns, "widgets", "w1"));
        Assert.Equal("blue", (string?)replaced["spec"]!["color"]);
        Assert.Null(replaced["status"]);

        replaced["spec"]!["color"] = "green";
        replaced["status"] = new JsonObject { ["ready"] = true };
        var status = E2e.Json(await objects.ReplaceNamespacedCustomObjectStatusAsync(replaced, group, "v1", ns, "widgets", "w1"));
        Assert.True((bool)status["status"]!["ready"]!);
        Assert.Equal("blue", (string?)status["spec"]!["color"]);
        Assert.Equal((int)replaced["metadata"]!["generation"]!, (int)status["metadata"]!["generation"]!);

        await objects.DeleteNamespacedCustomObjectAsync(group, "v1", ns, "widgets", "w1");
        var (code, _) = await E2e.FailureAsync(() => objects.GetNamespacedCustomObjectAsync(group, "v1", ns, "widgets", "w1"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task PriorityClass_ClusterScoped_CrudWithoutNamespace()
    {
        using var client = _sim.Client();
        var name = $"e2e-{Guid.NewGuid():N}"[..12];
        var created = await client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass
        {
            Metadata = new V1ObjectMeta { Name = name },
            Value = 1000,
            Description = "first",
        });
        Assert.Null(created.Metadata.NamespaceProperty);
        Assert.Equal("PreemptLowerPriority", created.PreemptionPolicy);

        created.Description = "second";
        var replaced = await client.SchedulingV1.ReplacePriorityClassAsync(created, name);
        Assert.Equal("second", replaced.Description);
        Assert.Contains((await client.SchedulingV1.ListPriorityClassAsync()).Items, p => p.Metadata.Name == name && p.Value == 1000);

        await client.SchedulingV1.DeletePriorityClassAsync(name);
        var (code, status) = await E2e.FailureAsync(() => client.SchedulingV1.ReadPriorityClassAsync(name));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal($"priorityclasses.scheduling.k8s.io \"{name}\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Delete_WithFinalizer_KeepsObjectUntilFinalizerRemoved()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "fin");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/keep"] } }, ns);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        var marked = await client.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Equal(["example.com/keep"], marked.Metadata.Finalizers);

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "held", ns);
        var (code, _) = await E2e.FailureAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("held", ns));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Delete_DryRun_KeepsObject()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "dry");
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "kept" } }, ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("kept", ns, dryRun: "All");
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("kept", ns);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Null(read.Metadata.DeletionTimestamp);
    }
}
