using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching;
using static Porthole.KubeSim.Tests.Patching.Fixtures;

namespace Porthole.KubeSim.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private static JsonObject Deploy(string patch) => StrategicMergePatch.Apply("Deployment", PatchDemo(), Obj(patch));

    private static JsonObject PodSpec(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!.AsObject();

    [Fact]
    public void Apply_KubectlPatchImage_ChangesOnlyThatContainer()
    {
        var result = Deploy("""{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr","image":"nginx:2"}]}}}}""");
        var containers = Containers(result);
        Assert.Equal(["patch-demo-ctr", "sidecar"], Names(containers));
        Assert.Equal("nginx:2", (string)containers[0]!["image"]!);
        Assert.Equal(2, containers[0]!["env"]!.AsArray().Count);
        Assert.Equal("busybox", (string)containers[1]!["image"]!);
    }

    [Fact]
    public void Apply_DocsNewContainer_MergesAndPutsPatchItemFirst()
    {
        // As on the "kubectl patch" docs page: patch-demo-ctr-2 joins the list, ahead of the existing ones.
        var result = Deploy("""{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}""");
        Assert.Equal(["patch-demo-ctr-2", "patch-demo-ctr", "sidecar"], Names(Containers(result)));
    }

    [Fact]
    public void Apply_DocsTolerations_ReplacedBecauseNoPatchStrategy()
    {
        var result = Deploy("""{"spec":{"template":{"spec":{"tolerations":[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]}}}}""");
        var tolerations = PodSpec(result)["tolerations"]!.AsArray();
        Assert.Single(tolerations);
        Assert.Equal("disktype", (string)tolerations[0]!["key"]!);
    }

    [Fact]
    public void Apply_DocsRetainKeys_ClearsRollingUpdate()
    {
        var result = Deploy("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");
        Assert.True(JsonNode.DeepEquals(Obj("""{"type":"Recreate"}"""), result["spec"]!["strategy"]));
    }

    [Fact]
    public void Apply_WithoutRetainKeys_KeepsRollingUpdate()
    {
        var result = Deploy("""{"spec":{"strategy":{"type":"Recreate"}}}""");
        Assert.Equal("30%", (string)result["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!);
    }

    [Fact]
    public void Apply_PatchDeleteInList_RemovesContainer()
    {
        var result = Deploy("""{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}""");
        Assert.Equal(["patch-demo-ctr"], Names(Containers(result)));
    }

    [Fact]
    public void Apply_PatchReplaceInList_ReplacesWholeList()
    {
        var result = Deploy("""{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}}}""");
        Assert.Equal(["only"], Names(Containers(result)));
        Assert.Null(Containers(result)[0]!["$patch"]);
    }

    [Theory]
    [InlineData("""{"metadata":{"labels":{"$patch":"replace","tier":"web"}}}""", """{"tier":"web"}""")]
    [InlineData("""{"metadata":{"labels":{"$patch":"delete"}}}""", "{}")]
    [InlineData("""{"metadata":{"labels":{"app":null,"tier":"web"}}}""", """{"tier":"web"}""")]
    public void Apply_MapDirectivesAndNull_ShapeLabels(string patch, string labels)
    {
        Assert.True(JsonNode.DeepEquals(Obj(labels), Deploy(patch)["metadata"]!["labels"]));
    }

    [Fact]
    public void Apply_NestedLists_MergeEnvByNameAndPortsByContainerPort()
    {
        var result = Deploy("""
            {"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr",
              "env":[{"name":"B","value":"20"},{"name":"C","value":"3"}],
              "ports":[{"containerPort":80,"name":"http"}],
              "volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}}}}
            """);
        var ctr = Containers(result)[0]!;
        Assert.Equal(["A", "B", "C"], Names(ctr["env"]!.AsArray()));
        Assert.Equal("20", (string)ctr["env"]![1]!["value"]!);
        Assert.True(JsonNode.DeepEquals(Obj("""{"containerPort":80,"protocol":"TCP","name":"http"}"""), ctr["ports"]![0]));
        Assert.True((bool)ctr["volumeMounts"]![0]!["readOnly"]!);
        Assert.Equal("data", (string)ctr["volumeMounts"]![0]!["name"]!);
    }

    [Fact]
    public void Apply_SetElementOrder_ReordersContainers()
    {
        var result = Deploy("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"patch-demo-ctr"}],
              "containers":[{"name":"sidecar","image":"busybox:2"}]}}}}
            """);
        Assert.Equal(["sidecar", "patch-demo-ctr"], Names(Containers(result)));
        Assert.Equal("busybox:2", (string)Containers(result)[0]!["image"]!);
        Assert.DoesNotContain(PodSpec(result), p => p.Key.StartsWith('$'));
    }

    [Fact]
    public void Apply_ClientSideApplyPatch_AppliesAnnotationAndImage()
    {
        // The shape kubectl apply (client side) sends: last-applied annotation plus a three-way diff.
        var result = Deploy("""
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},
             "spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"patch-demo-ctr"},{"name":"sidecar"}],
               "containers":[{"image":"nginx:1.27","name":"patch-demo-ctr"}]}}}}
            """);
        Assert.Equal(3, (int)result["spec"]!["replicas"]!);
        Assert.Equal("{}\n", (string)result["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!);
        Assert.Equal(["patch-demo-ctr", "sidecar"], Names(Containers(result)));
        Assert.Equal("nginx:1.27", (string)Containers(result)[0]!["image"]!);
    }

    [Theory]
    [InlineData("""{"metadata":{"finalizers":["example.com/b"]}}""", "example.com/b,example.com/a")]
    [InlineData("""{"metadata":{"finalizers":["example.com/a"]}}""", "example.com/a")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"]}}""", "")]
    [InlineData("""{"metadata":{"$setElementOrder/finalizers":["example.com/b","example.com/a"],"finalizers":["example.com/b"]}}""", "example.com/b,example.com/a")]
    public void Apply_Finalizers_MergeAsSet(string patch, string expected)
    {
        var finalizers = Deploy(patch)["metadata"]!["finalizers"]!.AsArray();
        Assert.Equal(expected, string.Join(",", finalizers.Select(f => (string)f!)));
    }

    [Fact]
    public void Apply_ServicePorts_MergeByPort()
    {
        var result = StrategicMergePatch.Apply("Service", Service(), Obj("""{"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443,"name":"https"}]}}"""));
        var ports = result["spec"]!["ports"]!.AsArray();
        Assert.Equal(2, ports.Count);
        Assert.Equal(9090, (int)ports.Single(p => (int)p!["port"]! == 80)!["targetPort"]!);
        Assert.Equal("http", (string)ports.Single(p => (int)p!["port"]! == 80)!["name"]!);
    }

    [Fact]
    public void Apply_PodConditions_MergeByType()
    {
        var result = StrategicMergePatch.Apply("Pod", Pod(), Obj("""{"status":{"conditions":[{"type":"Ready","status":"True"}]}}"""));
        var conditions = result["status"]!["conditions"]!.AsArray();
        Assert.Equal(["Initialized", "Ready"], conditions.Select(c => (string)c!["type"]!));
        Assert.Equal("True", (string)conditions[1]!["status"]!);
    }

    [Fact]
    public void Apply_NullAndNewFields_DeleteAndAdd()
    {
        var result = StrategicMergePatch.Apply("ConfigMap", ConfigMap(), Obj("""{"data":{"a":null,"c":"3"},"binaryData":{"x":"eA==","y":null}}"""));
        Assert.True(JsonNode.DeepEquals(Obj("""{"b":"2","c":"3"}"""), result["data"]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"x":"eA=="}"""), result["binaryData"]));
    }

    [Fact]
    public void Apply_Inputs_AreNotModified()
    {
        var live = PatchDemo();
        var patch = Obj("""{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}""");
        StrategicMergePatch.Apply("Deployment", live, patch);
        Assert.True(JsonNode.DeepEquals(PatchDemo(), live));
        Assert.Equal("delete", (string)patch["spec"]!["template"]!["spec"]!["containers"]![0]!["$patch"]!);
    }

    [Theory]
    [InlineData("""{"metadata":{"labels":{"$patch":"frob"}}}""", 500, "unknown patch type: frob in map: map[$patch:frob]")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"x","$patch":"frob"}]}}}}""", 500, "unknown patch type: frob in map: map[$patch:frob name:x]")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"x","$patch":"merge"}]}}}}""", 500, "merging lists cannot yet be specified in the patch")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}""", 500, "map: map[image:x] does not contain declared merge key: name")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":"type","type":"Recreate"}}}""", 400, "invalid patch format of retainKeys")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":["rollingUpdate"],"type":"Recreate"}}}""", 400, "invalid patch format of retainKeys")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveListfinalizers":["a"]}}""", 400, "invalid patch format of primitive list")]
    [InlineData("""{"metadata":{"finalizers":[["a"]]}}""", 500, "list element types are not identical: [[example.com/a] [[a]]]")]
    public void Apply_InvalidDirectives_FailAsTheRealServer(string patch, int code, string message)
    {
        var e = Assert.Throws<ApiException>(() => Deploy(patch));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Apply_ListOfLists_Throws422()
    {
        var live = Obj("""{"kind":"ConfigMap","metadata":{"name":"cm","finalizers":[]}}""");
        var e = Assert.Throws<ApiException>(() => StrategicMergePatch.Apply("ConfigMap", live, Obj("""{"metadata":{"finalizers":[["a"]]}}""")));
        Assert.Equal(422, e.Code);
        Assert.Equal("lists of lists are not supported", (string)e.Details!["causes"]![0]!["message"]!);
    }
}
