using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching;
using static Porthole.KubeSim.Tests.Patching.Fixtures;

namespace Porthole.KubeSim.Tests.Patching;

public sealed class JsonPatchTests
{
    [Fact]
    public void Apply_ReplaceReplicas_SetsValueAndLeavesInputAlone()
    {
        var live = PatchDemo();
        var result = JsonPatch.Apply(live, Arr("""[{"op":"replace","path":"/spec/replicas","value":5}]"""));
        Assert.Equal(5, (int)result["spec"]!["replicas"]!);
        Assert.Equal(2, (int)live["spec"]!["replicas"]!);
    }

    [Fact]
    public void Apply_EscapedPointer_AddsLabelWithSlashAndTilde()
    {
        var result = JsonPatch.Apply(PatchDemo(), Arr("""
            [{"op":"add","path":"/metadata/labels/app.kubernetes.io~1name","value":"web"},
             {"op":"add","path":"/metadata/labels/a~0b","value":"x"}]
            """));
        Assert.Equal("web", (string)result["metadata"]!["labels"]!["app.kubernetes.io/name"]!);
        Assert.Equal("x", (string)result["metadata"]!["labels"]!["a~b"]!);
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"c","image":"redis"}}]""", "patch-demo-ctr,sidecar,c")]
    [InlineData("""[{"op":"add","path":"/spec/template/spec/containers/0","value":{"name":"c","image":"redis"}}]""", "c,patch-demo-ctr,sidecar")]
    [InlineData("""[{"op":"remove","path":"/spec/template/spec/containers/-1"}]""", "patch-demo-ctr")]
    [InlineData("""[{"op":"move","from":"/spec/template/spec/containers/1","path":"/spec/template/spec/containers/0"}]""", "sidecar,patch-demo-ctr")]
    [InlineData("""[{"op":"copy","from":"/spec/template/spec/containers/1","path":"/spec/template/spec/containers/-"}]""", "patch-demo-ctr,sidecar,sidecar")]
    [InlineData("""[{"op":"test","path":"/spec/template/spec/containers/0/name","value":"patch-demo-ctr"},{"op":"replace","path":"/spec/template/spec/containers/0/name","value":"x"}]""", "x,sidecar")]
    public void Apply_ListOperations_ProduceContainerOrder(string patch, string expected)
    {
        var result = JsonPatch.Apply(PatchDemo(), Arr(patch));
        Assert.Equal(expected, string.Join(",", Names(Containers(result.AsObject()))));
    }

    [Fact]
    public void Apply_ReplaceMissingObjectMember_SetsItAsTheServerDoes()
    {
        var result = JsonPatch.Apply(ConfigMap(), Arr("""[{"op":"replace","path":"/data/c","value":"3"}]"""));
        Assert.Equal("3", (string)result["data"]!["c"]!);
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/spec/replicas","value":3}]""", "testing value /spec/replicas failed: test failed")]
    [InlineData("""[{"op":"test","path":"/spec/paused","value":true}]""", "testing value /spec/paused failed: test failed")]
    [InlineData("""[{"op":"remove","path":"/metadata/labels/missing"}]""", "error in remove for path: '/metadata/labels/missing': Unable to remove nonexistent key: missing: missing value")]
    [InlineData("""[{"op":"add","path":"/spec/nope/x","value":1}]""", "add operation does not apply: doc is missing path: \"/spec/nope/x\": missing value")]
    [InlineData("""[{"op":"replace","path":"/spec/template/spec/containers/5","value":{}}]""", "replace operation does not apply: doc is missing key: /spec/template/spec/containers/5: missing value")]
    [InlineData("""[{"op":"add","path":"/spec/template/spec/containers/7","value":{}}]""", "error in add for path: '/spec/template/spec/containers/7': Unable to access invalid index: 7: invalid index referenced")]
    [InlineData("""[{"op":"remove","path":"/spec/template/spec/containers/x"}]""", "error in remove for path: '/spec/template/spec/containers/x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("""[{"op":"move","from":"/spec/nope/a","path":"/spec/b"}]""", "move operation does not apply: doc is missing from path: /spec/nope/a: missing value")]
    [InlineData("""[{"op":"add","value":1}]""", "add operation failed to decode path: missing value")]
    [InlineData("""[{"op":"frob","path":"/spec"}]""", "Unexpected kind: frob")]
    [InlineData("""[{"path":"/spec"}]""", "Unexpected kind: unknown")]
    [InlineData("""[{"op":"remove","path":""}]""", "remove operation does not apply: doc is missing path: \"\": missing value")]
    public void Apply_FailingOperation_Throws422WithLibraryCause(string patch, string cause)
    {
        var live = PatchDemo();
        var e = Assert.Throws<ApiException>(() => JsonPatch.Apply(live, Arr(patch)));
        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.Equal("the server rejected our request due to an error in our request", e.Message);
        var reported = e.Details!["causes"]![0]!;
        Assert.Equal("UnexpectedServerResponse", (string)reported["reason"]!);
        Assert.Equal(cause, (string)reported["message"]!);
        Assert.True(JsonNode.DeepEquals(PatchDemo(), live));
    }

    [Fact]
    public void Apply_TestOnMissingMemberWithNull_Passes()
    {
        var result = JsonPatch.Apply(ConfigMap(), Arr("""[{"op":"test","path":"/data/zzz","value":null},{"op":"remove","path":"/data/a"}]"""));
        Assert.False(result["data"]!.AsObject().ContainsKey("a"));
    }

    [Fact]
    public void Apply_OperationNotAnObject_Throws400()
    {
        var e = Assert.Throws<ApiException>(() => JsonPatch.Apply(ConfigMap(), Arr("""["add"]""")));
        Assert.Equal(400, e.Code);
        Assert.Equal("json: cannot unmarshal string into Go value of type jsonpatch.Operation", e.Message);
    }

    [Fact]
    public void Apply_StatusShape_MatchesGenericServerResponse()
    {
        var e = Assert.Throws<ApiException>(() => JsonPatch.Apply(ConfigMap(), Arr("""[{"op":"test","path":"/data/a","value":"9"}]""")));
        var status = e.ToStatus();
        Assert.Equal(422, (int)status["code"]!);
        Assert.Equal("Failure", (string)status["status"]!);
        Assert.Equal("testing value /data/a failed: test failed", (string)status["details"]!["causes"]![0]!["message"]!);
    }
}
