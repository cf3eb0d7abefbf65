using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Tests.Query;

public sealed class FieldSelectorTests
{
    private static readonly ResourceRegistry Registry = new();

    private static ResourceType Type(string group, string version, string plural) => Registry.Find(group, version, plural)!;

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static readonly JsonObject RunningPod = Obj("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop"},
         "spec":{"nodeName":"node-a","restartPolicy":"Always","schedulerName":"default-scheduler","serviceAccountName":"web"},
         "status":{"phase":"Running","podIP":"10.0.0.7","podIPs":[{"ip":"10.0.0.7"},{"ip":"fd00::7"}]}}
        """);

    [Theory]
    [InlineData("metadata.name=web-1", true)]
    [InlineData("metadata.name==web-1", true)]
    [InlineData("metadata.name!=web-1", false)]
    [InlineData("metadata.namespace=shop", true)]
    [InlineData("spec.nodeName=node-a", true)]
    [InlineData("spec.host=node-a", true)]
    [InlineData("spec.nodeName=", false)]
    [InlineData("spec.restartPolicy=Always,status.phase=Running", true)]
    [InlineData("status.phase!=Running", false)]
    [InlineData("status.phase=Pending", false)]
    [InlineData("spec.hostNetwork=false", true)]
    [InlineData("spec.schedulerName=default-scheduler", true)]
    [InlineData("spec.serviceAccountName=web", true)]
    [InlineData("status.podIP=10.0.0.7", true)]
    [InlineData("status.nominatedNodeName=", true)]
    [InlineData("status.podIPs=", true)]
    [InlineData("status.podIPs=10.0.0.7", false)]
    public void Matches_PodFields_ReturnsExpected(string selector, bool expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector, Type("", "v1", "pods")).Matches(RunningPod));
    }

    [Theory]
    [InlineData("", "v1", "pods", "spec.containers", "field label not supported: spec.containers")]
    [InlineData("", "v1", "nodes", "metadata.namespace", "field label not supported: metadata.namespace")]
    [InlineData("", "v1", "namespaces", "metadata.namespace", "field label not supported: metadata.namespace")]
    [InlineData("", "v1", "events", "regarding.name", "field label not supported: regarding.name")]
    [InlineData("events.k8s.io", "v1", "events", "involvedObject.name", "field label not supported: involvedObject.name")]
    [InlineData("", "v1", "configmaps", "data.x", "\"data.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("", "v1", "persistentvolumeclaims", "spec.volumeName", "\"spec.volumeName\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("apps", "v1", "deployments", "spec.replicas", "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("batch", "v1", "jobs", "status.active", "field label \"status.active\" not supported for batchv1.Job")]
    [InlineData("apps", "v1", "statefulsets", "spec.replicas", "field label not supported for appsv1.StatefulSet: spec.replicas")]
    public void Parse_UnsupportedField_ThrowsBadRequestWithServerWording(string group, string version, string plural, string field, string message)
    {
        var e = Assert.Throws<ApiException>(() => FieldSelector.Parse($"{field}=x", Type(group, version, plural)));
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'")]
    [InlineData("metadata.name=a\\b", "invalid field selector: invalid escape sequence: \\b")]
    [InlineData("metadata.name=a\\", "invalid field selector: invalid escape sequence: \\")]
    [InlineData("metadata.name=a=b", "invalid field selector: unescaped character in value: 61")]
    public void Parse_Malformed_ThrowsBadRequest(string selector, string message)
    {
        var e = Assert.Throws<ApiException>(() => FieldSelector.Parse(selector, Type("", "v1", "pods")));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_EscapedValue_Unescapes()
    {
        var cm = Obj("""{"metadata":{"name":"a,b=c\\d","namespace":"x"}}""");
        var selector = FieldSelector.Parse(@"metadata.name=a\,b\=c\\d", Type("", "v1", "configmaps"));
        Assert.True(selector.Matches(cm));
        Assert.Equal("a,b=c\\d", selector.RequiresExactMatch("metadata.name"));
        Assert.Equal(@"metadata.name=a\,b\=c\\d", selector.ToString());
    }

    [Fact]
    public void Matches_NodeUnschedulable_ComparesBooleanText()
    {
        var nodes = Type("", "v1", "nodes");
        var cordoned = Obj("""{"metadata":{"name":"n1"},"spec":{"unschedulable":true}}""");
        var plain = Obj("""{"metadata":{"name":"n2"},"spec":{}}""");
        Assert.True(FieldSelector.Parse("spec.unschedulable=true", nodes).Matches(cordoned));
        Assert.True(FieldSelector.Parse("spec.unschedulable=false", nodes).Matches(plain));
        Assert.False(FieldSelector.Parse("spec.unschedulable!=false", nodes).Matches(plain));
    }

    [Fact]
    public void Matches_CoreEventFields_ReadInvolvedObjectAndSource()
    {
        var ev = Obj("""
            {"metadata":{"name":"web-1.17a","namespace":"shop"},
             "involvedObject":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u-1","apiVersion":"v1","fieldPath":"spec.containers{web}"},
             "reason":"BackOff","type":"Warning","source":{"component":"kubelet","host":"node-a"}}
            """);
        var events = Type("", "v1", "events");
        Assert.True(FieldSelector.Parse("involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.uid=u-1", events).Matches(ev));
        Assert.True(FieldSelector.Parse("type=Warning,reason=BackOff,source=kubelet", events).Matches(ev));
        Assert.True(FieldSelector.Parse("involvedObject.fieldPath=spec.containers{web}", events).Matches(ev));
        Assert.False(FieldSelector.Parse("type=Normal", events).Matches(ev));
    }

    [Fact]
    public void Matches_EventsV1Fields_MapToCoreNames()
    {
        var ev = Obj("""
            {"apiVersion":"events.k8s.io/v1","metadata":{"name":"e","namespace":"shop"},
             "regarding":{"kind":"Deployment","name":"web","namespace":"shop"},
             "reason":"ScalingReplicaSet","type":"Normal","reportingController":"deployment-controller"}
            """);
        var events = Type("events.k8s.io", "v1", "events");
        var selector = FieldSelector.Parse("regarding.kind=Deployment,reportingController=deployment-controller", events);
        Assert.Equal("involvedObject.kind=Deployment,reportingComponent=deployment-controller", selector.ToString());
        Assert.True(selector.Matches(ev));
        Assert.True(FieldSelector.Parse("source=deployment-controller", events).Matches(ev));
    }

    [Theory]
    [InlineData("", "v1", "namespaces", """{"metadata":{"name":"old"},"status":{"phase":"Terminating"}}""", "status.phase=Terminating")]
    [InlineData("", "v1", "secrets", """{"metadata":{"name":"tls","namespace":"a"},"type":"kubernetes.io/tls"}""", "type=kubernetes.io/tls")]
    [InlineData("", "v1", "services", """{"metadata":{"name":"web","namespace":"a"},"spec":{"type":"NodePort","clusterIP":"10.96.0.10"}}""", "spec.type=NodePort,spec.clusterIP=10.96.0.10")]
    [InlineData("", "v1", "replicationcontrollers", """{"metadata":{"name":"rc","namespace":"a"},"status":{"replicas":3}}""", "status.replicas=3")]
    [InlineData("", "v1", "replicationcontrollers", """{"metadata":{"name":"rc","namespace":"a"},"status":{}}""", "status.replicas=0")]
    [InlineData("batch", "v1", "jobs", """{"metadata":{"name":"j","namespace":"a"},"status":{"succeeded":1}}""", "status.successful=1")]
    [InlineData("apps", "v1", "replicasets", """{"metadata":{"name":"rs","namespace":"a"}}""", "metadata.name=rs,metadata.namespace=a")]
    public void Matches_ResourceSpecificFields_Match(string group, string version, string plural, string json, string selector)
    {
        Assert.True(FieldSelector.Parse(selector, Type(group, version, plural)).Matches(Obj(json)));
    }

    [Fact]
    public void Parse_CustomResource_AllowsSelectableFieldsOnly()
    {
        var crType = new ResourceType("example.com", "v1", "widgets", "Widget", true, [], [], ResourceType.AllVerbs, []) { IsCustom = true };
        var widget = Obj("""{"metadata":{"name":"w","namespace":"a"},"spec":{"color":"blue","size":3}}""");
        Assert.True(FieldSelector.Parse("spec.color=blue,spec.size=3", crType, [".spec.color", "spec.size"]).Matches(widget));
        var e = Assert.Throws<ApiException>(() => FieldSelector.Parse("spec.color=blue", crType));
        Assert.Equal("field label not supported: spec.color", e.Message);
    }

    [Fact]
    public void Parse_Empty_IsEverything()
    {
        var selector = FieldSelector.Parse("", Type("", "v1", "pods"));
        Assert.True(selector.IsEmpty);
        Assert.True(selector.Matches(RunningPod));
    }
}
