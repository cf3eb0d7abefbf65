using System.Text.Json.Nodes;
using Porthole.KubeSim.Patching;
using static Porthole.KubeSim.Tests.Patching.Fixtures;

namespace Porthole.KubeSim.Tests.Patching;

public sealed class MergePatchTests
{
    [Fact]
    public void Apply_Labels_MergeAndNullDeletes()
    {
        var result = MergePatch.Apply(PatchDemo(), Obj("""{"metadata":{"labels":{"app":null,"tier":"web"}}}"""))!;
        Assert.True(JsonNode.DeepEquals(Obj("""{"tier":"web"}"""), result["metadata"]!["labels"]));
    }

    [Fact]
    public void Apply_Containers_ReplacesWholeList()
    {
        // The docs' merge patch: the container list becomes exactly the patch's list.
        var result = MergePatch.Apply(PatchDemo(), Obj("""
            {"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-3","image":"gcr.io/google-samples/hello-app:2.0"}]}}}}
            """))!.AsObject();
        Assert.Equal(["patch-demo-ctr-3"], Names(Containers(result)));
        Assert.Equal(2, (int)result["spec"]!["replicas"]!);
    }

    [Fact]
    public void Apply_Tolerations_ReplacedWhole()
    {
        var result = MergePatch.Apply(PatchDemo(), Obj("""{"spec":{"template":{"spec":{"tolerations":[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]}}}}"""))!;
        var tolerations = result["spec"]!["template"]!["spec"]!["tolerations"]!.AsArray();
        Assert.Single(tolerations);
        Assert.Equal("disktype", (string)tolerations[0]!["key"]!);
    }

    [Fact]
    public void Apply_NewObjectWithNulls_DropsTheNulls()
    {
        var result = MergePatch.Apply(ConfigMap(), Obj("""{"metadata":{"annotations":{"a":"1","b":null}}}"""))!;
        Assert.True(JsonNode.DeepEquals(Obj("""{"a":"1"}"""), result["metadata"]!["annotations"]));
    }

    [Fact]
    public void Apply_NonObjectPatch_ReplacesTarget()
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[1,2]"), MergePatch.Apply(ConfigMap(), JsonNode.Parse("[1,2]"))));
    }

    [Fact]
    public void Apply_ScalarOverObject_Replaces()
    {
        var result = MergePatch.Apply(ConfigMap(), Obj("""{"data":"x"}"""))!;
        Assert.Equal("x", (string)result["data"]!);
    }
}
