using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching;
using static Porthole.KubeSim.Tests.Patching.Fixtures;

namespace Porthole.KubeSim.Tests.Patching;

public sealed class PatcherTests
{
    [Theory]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"/spec/replicas","value":4}]""")]
    [InlineData("application/merge-patch+json", """{"spec":{"replicas":4}}""")]
    [InlineData("application/strategic-merge-patch+json", """{"spec":{"replicas":4}}""")]
    [InlineData("application/merge-patch+json; charset=utf-8", """{"spec":{"replicas":4}}""")]
    public void Apply_EachPatchType_SetsReplicas(string contentType, string body)
    {
        var result = Patcher.Apply(contentType, "Deployment", false, PatchDemo(), body);
        Assert.Equal(4, (int)result["spec"]!["replicas"]!);
    }

    [Fact]
    public void Apply_StrategicOnCustomResource_Throws415WithCustomResourceTypes()
    {
        var cr = Obj("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1}}""");
        var e = Assert.Throws<ApiException>(() => Patcher.Apply(PatchTypes.StrategicMergePatch, "Widget", true, cr, """{"spec":{"size":2}}"""));
        Assert.Equal(415, e.Code);
        Assert.Equal("UnsupportedMediaType", e.Reason);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", e.Message);
    }

    [Fact]
    public void Apply_MergeOnCustomResource_Works()
    {
        var cr = Obj("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"items":[1,2]}}""");
        var result = Patcher.Apply(PatchTypes.MergePatch, "Widget", true, cr, """{"spec":{"items":[3]}}""");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[3]"), result["spec"]!["items"]));
    }

    [Fact]
    public void Apply_UnknownType_Throws415ListingBuiltInTypes()
    {
        var e = Assert.Throws<ApiException>(() => Patcher.Apply("text/plain", "ConfigMap", false, ConfigMap(), "x"));
        Assert.Equal(415, e.Code);
        Assert.EndsWith("application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml", e.Message);
    }

    [Fact]
    public void Apply_ApplyYaml_IsLeftToServerSideApply()
    {
        Assert.True(Patcher.IsApply("application/apply-patch+yaml"));
        Assert.Throws<ArgumentException>(() => Patcher.Apply(PatchTypes.ApplyPatchYaml, "ConfigMap", false, ConfigMap(), "data: {}"));
    }

    [Theory]
    [InlineData(PatchTypes.MergePatch, "null", "Invalid JSON Patch")]
    [InlineData(PatchTypes.MergePatch, "{", "Invalid JSON Patch")]
    [InlineData(PatchTypes.JsonPatch, """{"op":"add"}""", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")]
    [InlineData(PatchTypes.JsonPatch, "[{]", "invalid character ']' looking for beginning of value")]
    [InlineData(PatchTypes.StrategicMergePatch, "[1]", "json: cannot unmarshal array into Go value of type map[string]interface {}")]
    [InlineData(PatchTypes.StrategicMergePatch, "", "unexpected end of JSON input")]
    public void Apply_MalformedBody_Throws400(string contentType, string body, string message)
    {
        var e = Assert.Throws<ApiException>(() => Patcher.Apply(contentType, "ConfigMap", false, ConfigMap(), body));
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Apply_JsonPatchReplacingRootWithArray_Throws422()
    {
        var e = Assert.Throws<ApiException>(() => Patcher.Apply(PatchTypes.JsonPatch, "ConfigMap", false, ConfigMap(), """[{"op":"replace","path":"","value":[1]}]"""));
        Assert.Equal(422, e.Code);
    }

    [Fact]
    public void Apply_NullJsonPatchOrStrategicBody_LeavesObjectUnchanged()
    {
        Assert.True(JsonNode.DeepEquals(ConfigMap(), Patcher.Apply(PatchTypes.JsonPatch, "ConfigMap", false, ConfigMap(), "null")));
        Assert.True(JsonNode.DeepEquals(ConfigMap(), Patcher.Apply(PatchTypes.StrategicMergePatch, "ConfigMap", false, ConfigMap(), "null")));
    }
}
