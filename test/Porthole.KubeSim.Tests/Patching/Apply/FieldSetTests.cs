using System.Text.Json.Nodes;
using Porthole.KubeSim.Patching.Apply;

namespace Porthole.KubeSim.Tests.Patching.Apply;

public sealed class FieldSetTests
{
    private const string DeploymentFields =
        """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}}""";

    [Fact]
    public void FromFieldsV1_KeyAndDotMarkers_RoundTripsExactly()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(DeploymentFields)!.AsObject());

        Assert.Equal(DeploymentFields, set.ToFieldsV1Json());
    }

    [Fact]
    public void FromFieldsV1_SetValues_RoundTripsExactly()
    {
        const string fields = """{"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/a\"":{},"v:\"kubernetes\"":{}}}}""";

        var set = FieldSet.FromFieldsV1(JsonNode.Parse(fields)!.AsObject());

        Assert.Equal(fields, set.ToFieldsV1Json());
        Assert.True(set.Has([PathElement.Field("metadata"), PathElement.Field("finalizers"), PathElement.Value("kubernetes")]));
        Assert.True(set.Has(FieldPath.Of("metadata", "finalizers")));
    }

    [Fact]
    public void Paths_KeyedElements_PrintLikeConflictMessages()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse(DeploymentFields)!.AsObject());

        var paths = set.Paths().Select(p => p.ToString()).ToList();

        Assert.Equal(
            [
                ".metadata.labels",
                ".metadata.labels.app",
                ".spec.replicas",
                ".spec.selector",
                ".spec.template.spec.containers[name=\"nginx\"]",
                ".spec.template.spec.containers[name=\"nginx\"].image",
                ".spec.template.spec.containers[name=\"nginx\"].name",
                ".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]",
                ".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"].containerPort",
                ".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"].protocol",
            ],
            paths);
    }

    [Fact]
    public void Key_FieldsOutOfOrder_AreSortedByName()
    {
        var a = PathElement.Key([KeyValuePair.Create<string, JsonNode?>("protocol", "UDP"), KeyValuePair.Create<string, JsonNode?>("port", 53)]);
        var b = PathElement.Parse("k:{\"port\":53,\"protocol\":\"UDP\"}");

        Assert.Equal(b, a);
        Assert.Equal("k:{\"port\":53,\"protocol\":\"UDP\"}", a.Token);
    }

    [Fact]
    public void ToFieldsV1_MixedElementKinds_SortsFieldsBeforeKeysBeforeValues()
    {
        var set = new FieldSet();
        set.Insert([PathElement.Field("x"), PathElement.Value("b")]);
        set.Insert([PathElement.Field("x"), PathElement.Value(10)]);
        set.Insert([PathElement.Field("x"), PathElement.Field("z")]);
        set.Insert([PathElement.Field("x"), PathElement.Key([KeyValuePair.Create<string, JsonNode?>("name", "a")])]);

        Assert.Equal("""{"f:x":{"f:z":{},"k:{\"name\":\"a\"}":{},"v:10":{},"v:\"b\"":{}}}""", set.ToFieldsV1Json());
    }

    [Fact]
    public void RecursiveDifference_MemberInOther_DropsItsChildren()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse("""{"f:spec":{"f:replicas":{}},"f:status":{"f:replicas":{}}}""")!.AsObject());
        var status = new FieldSet();
        status.Insert(FieldPath.Of("status"));

        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", set.RecursiveDifference(status).ToFieldsV1Json());
        Assert.Equal("""{"f:spec":{"f:replicas":{}},"f:status":{"f:replicas":{}}}""", set.Difference(status).ToFieldsV1Json());
    }

    [Fact]
    public void FromFieldsV1_BadElement_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1(JsonNode.Parse("""{"x:y":{}}""")!.AsObject()));
    }
}
