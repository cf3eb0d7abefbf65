using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching;
using Porthole.KubeSim.Patching.Apply;

namespace Porthole.KubeSim.Tests.Patching.Apply;

public sealed class SchemaListStrategiesTests : IClassFixture<SimFixture>
{
    private const string Schema = """
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "items":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                   "items":{"type":"object","properties":{"name":{"type":"string"},"size":{"type":"integer"},
                            "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}},
          "plain":{"type":"array","items":{"type":"string"}}}}}}
        """;

    private readonly SimFixture _sim;

    public SchemaListStrategiesTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static ResourceType Custom() =>
        new ResourceType("example.com", "v1", "gadgets", "Gadget", true, [], [], ResourceType.AllVerbs, []) { IsCustom = true, CustomSchema = JsonNode.Parse(Schema)!.AsObject() };

    [Fact]
    public void For_SchemaWithListTypes_ReadsMapSetAndAtomic()
    {
        var strategies = SchemaListStrategies.For(Custom())!;
        Assert.Equal(ListKind.Map, strategies(["spec", "items"]).Kind);
        Assert.Equal(["name"], strategies(["spec", "items"]).MapKeys);
        Assert.Equal(ListKind.Set, strategies(["spec", "items", "tags"]).Kind);
        Assert.Equal(ListKind.Atomic, strategies(["spec", "plain"]).Kind);
        Assert.Equal(ListKind.Set, strategies(["metadata", "finalizers"]).Kind);
    }

    [Fact]
    public void For_BuiltIn_IsNull()
    {
        Assert.Null(SchemaListStrategies.For(new ResourceRegistry().Find("apps", "v1", "deployments")!));
    }

    [Fact]
    public async Task Apply_TwoManagersOnAMapList_MergesTheirItems()
    {
        using var client = _sim.Client();
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "gadgets.example.com" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "example.com",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "gadgets", Singular = "gadget", Kind = "Gadget" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1",
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = KubernetesJson.Deserialize<V1JSONSchemaProps>(Schema) },
                    },
                ],
            },
        };
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);

        static V1Patch Apply(string item) => new(
            $$$"""{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g1","namespace":"default"},"spec":{"items":[{"name":"{{{item}}}","size":1}]}}""",
            V1Patch.PatchType.ApplyPatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(Apply("a"), "example.com", "v1", "default", "gadgets", "g1", fieldManager: "alice");
        var merged = await client.CustomObjects.PatchNamespacedCustomObjectAsync(Apply("b"), "example.com", "v1", "default", "gadgets", "g1", fieldManager: "bob");
        var items = JsonNode.Parse(KubernetesJson.Serialize(merged))!["spec"]!["items"]!.AsArray();
        Assert.Equal(["a", "b"], items.Select(i => (string?)i!["name"]).Order());
    }
}
