using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Tests.Query;

public sealed class TableConverterTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly ResourceRegistry Registry = new();

    internal static ResourceType Type(string group, string version, string plural) => Registry.Find(group, version, plural)!;

    internal static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    internal static JsonObject Table(ResourceType type, params JsonObject[] objects) =>
        TableConverter.ToTable(type, objects, "4711", null, null, "", Now);

    internal static string[] Columns(JsonObject table) =>
        [.. table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())];

    /// <summary>The cells of a row as text: strings as-is, other JSON as written, null as "(null)".</summary>
    internal static string[] Cells(JsonObject table, int row = 0) =>
        [.. table["rows"]![row]!["cells"]!.AsArray().Select(c => c is null ? "(null)" : c is JsonValue v && v.TryGetValue<string>(out var s) ? s : c.ToJsonString())];

    [Fact]
    public void ToTable_Deployment_PrintsReadyUpToDateAvailableAndWideColumns()
    {
        var deployment = Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"shop","creationTimestamp":"2026-11-21T08:00:00Z"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
               "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"},{"name":"log","image":"busybox"}]}}},
             "status":{"replicas":3,"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}
            """);
        var table = Table(Type("apps", "v1", "deployments"), deployment);
        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"], Columns(table));
        Assert.Equal(["web", "2/3", "3", "2", "2d4h", "web,log", "nginx:1.27,busybox", "app=web"], Cells(table));
        var priorities = table["columnDefinitions"]!.AsArray().Select(c => c!["priority"]!.GetValue<int>()).ToArray();
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], priorities);
    }

    [Fact]
    public void ToTable_ReplicaSet_PrintsIntegerCounts()
    {
        var rs = Obj("""
            {"metadata":{"name":"web-5d78c9869d","namespace":"shop","creationTimestamp":"2026-11-23T11:55:00Z"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","pod-template-hash":"5d78c9869d"}},
               "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}},
             "status":{"replicas":3,"readyReplicas":1}}
            """);
        var table = Table(Type("apps", "v1", "replicasets"), rs);
        Assert.Equal(["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"], Columns(table));
        Assert.Equal(["web-5d78c9869d", "3", "3", "1", "5m", "web", "nginx:1.27", "app=web,pod-template-hash=5d78c9869d"], Cells(table));
        Assert.Equal("integer", table["columnDefinitions"]![1]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"ClusterIP","clusterIP":"10.96.12.4","clusterIPs":["10.96.12.4"],"ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"selector":{"app":"web"}}""", "{}",
        "ClusterIP", "10.96.12.4", "<none>", "80/TCP,53/UDP", "app=web")]
    [InlineData("""{"type":"NodePort","clusterIP":"10.96.0.9","ports":[{"port":443,"nodePort":30443}]}""", "{}",
        "NodePort", "10.96.0.9", "<none>", "443:30443/TCP", "<none>")]
    [InlineData("""{"type":"LoadBalancer","clusterIP":"10.96.0.8","ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]}""", "{}",
        "LoadBalancer", "10.96.0.8", "<pending>", "80:31000/TCP", "<none>")]
    [InlineData("""{"type":"LoadBalancer","clusterIP":"10.96.0.8","ports":[{"port":80,"protocol":"TCP"}]}""", """{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}""",
        "LoadBalancer", "10.96.0.8", "203.0.113.10", "80/TCP", "<none>")]
    [InlineData("""{"type":"ExternalName","externalName":"db.example.com"}""", "{}",
        "ExternalName", "<none>", "db.example.com", "<none>", "<none>")]
    [InlineData("""{"type":"ClusterIP","clusterIP":"None","ports":[{"port":5432,"protocol":"TCP"}]}""", "{}",
        "ClusterIP", "None", "<none>", "5432/TCP", "<none>")]
    public void ToTable_Service_PrintsTypeIpsAndPorts(string spec, string status, string type, string clusterIp, string externalIp, string ports, string selector)
    {
        var svc = Obj($$"""{"metadata":{"name":"web","namespace":"shop","creationTimestamp":"2026-11-23T11:59:30Z"},"spec":{{spec}},"status":{{status}}}""");
        var table = Table(Type("", "v1", "services"), svc);
        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"], Columns(table));
        Assert.Equal(["web", type, clusterIp, externalIp, ports, "30s", selector], Cells(table));
    }

    [Fact]
    public void ToTable_CordonedNode_ShowsSchedulingDisabledAndRoles()
    {
        var node = Obj("""
            {"metadata":{"name":"cp-1","creationTimestamp":"2026-10-01T00:00:00Z",
               "labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/etcd":"","kubernetes.io/hostname":"cp-1"}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
               "addresses":[{"type":"InternalIP","address":"192.168.1.10"},{"type":"Hostname","address":"cp-1"}],
               "nodeInfo":{"kubeletVersion":"v1.31.2","osImage":"Ubuntu 24.04.1 LTS","kernelVersion":"6.8.0-48-generic","containerRuntimeVersion":"containerd://1.7.22"}}}
            """);
        var table = Table(Type("", "v1", "nodes"), node);
        Assert.Equal(["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"], Columns(table));
        Assert.Equal(
            ["cp-1", "Ready,SchedulingDisabled", "control-plane,etcd", "53d", "v1.31.2", "192.168.1.10", "<none>", "Ubuntu 24.04.1 LTS", "6.8.0-48-generic", "containerd://1.7.22"],
            Cells(table));
    }

    [Fact]
    public void ToTable_NotReadyNodeWithoutInfo_PrintsPlaceholders()
    {
        var node = Obj("""{"metadata":{"name":"w-1","creationTimestamp":"2026-11-23T11:00:00Z"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""");
        Assert.Equal(["w-1", "NotReady", "<none>", "60m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], Cells(Table(Type("", "v1", "nodes"), node)));
    }

    [Fact]
    public void ToTable_CoreEvent_PrintsLastSeenObjectSourceAndCount()
    {
        var ev = Obj("""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"web-1.17a2b3c4d5e6f","namespace":"shop"},
             "involvedObject":{"kind":"Pod","namespace":"shop","name":"web-1","fieldPath":"spec.containers{web}"},
             "reason":"BackOff","message":"Back-off restarting failed container web in pod web-1_shop(uid)\n","type":"Warning",
             "source":{"component":"kubelet","host":"node-a"},
             "firstTimestamp":"2026-11-23T11:00:00Z","lastTimestamp":"2026-11-23T11:58:00Z","count":14}
            """);
        var table = Table(Type("", "v1", "events"), ev);
        Assert.Equal(["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"], Columns(table));
        Assert.Equal(
            ["2m", "Warning", "BackOff", "pod/web-1", "spec.containers{web}", "kubelet, node-a", "Back-off restarting failed container web in pod web-1_shop(uid)", "60m", "14", "web-1.17a2b3c4d5e6f"],
            Cells(table));
    }

    [Fact]
    public void ToTable_EventsV1Event_UsesSeriesAndReportingController()
    {
        var ev = Obj("""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web.1","namespace":"shop"},
             "regarding":{"kind":"Deployment","namespace":"shop","name":"web"},
             "reason":"ScalingReplicaSet","note":"Scaled up replica set web-5d78c9869d to 3","type":"Normal",
             "eventTime":"2026-11-23T11:50:00.000000Z","reportingController":"deployment-controller","reportingInstance":"",
             "series":{"count":4,"lastObservedTime":"2026-11-23T11:59:00.000000Z"}}
            """);
        var cells = Cells(Table(Type("events.k8s.io", "v1", "events"), ev));
        Assert.Equal(["60s", "Normal", "ScalingReplicaSet", "deployment/web", "", "deployment-controller", "Scaled up replica set web-5d78c9869d to 3", "10m", "4", "web.1"], cells);
    }

    [Fact]
    public void ToTable_Namespace_PrintsPhase()
    {
        var ns = Obj("""{"metadata":{"name":"shop","creationTimestamp":"2024-11-01T00:00:00Z"},"status":{"phase":"Active"}}""");
        var table = Table(Type("", "v1", "namespaces"), ns);
        Assert.Equal(["Name", "Status", "Age"], Columns(table));
        Assert.Equal(["shop", "Active", "2y22d"], Cells(table));
    }

    [Fact]
    public void ToTable_ResourceWithoutPrinter_UsesNameAndCreatedAt()
    {
        var role = Obj("""{"metadata":{"name":"reader","namespace":"shop","creationTimestamp":"2026-11-20T10:00:00Z"},"rules":[]}""");
        var table = Table(Type("rbac.authorization.k8s.io", "v1", "roles"), role);
        Assert.Equal(["Name", "Created At"], Columns(table));
        Assert.Equal("date", table["columnDefinitions"]![1]!["type"]!.GetValue<string>());
        Assert.Equal(["reader", "2026-11-20T10:00:00Z"], Cells(table));
    }

    [Fact]
    public void ToTable_ConfigMapAndSecret_CountData()
    {
        var cm = Obj("""{"metadata":{"name":"cfg","creationTimestamp":"2026-11-23T11:00:00Z"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}""");
        Assert.Equal(["cfg", "3", "60m"], Cells(Table(Type("", "v1", "configmaps"), cm)));
        var secret = Obj("""{"metadata":{"name":"tls","creationTimestamp":"2026-11-23T11:00:00Z"},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}}""");
        Assert.Equal(["tls", "kubernetes.io/tls", "2", "60m"], Cells(Table(Type("", "v1", "secrets"), secret)));
    }

    [Fact]
    public void ToTable_ListMetadataAndIncludeObject_FollowTheRequest()
    {
        var ns = Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","resourceVersion":"12"},"status":{"phase":"Active"}}""");
        var type = Type("", "v1", "namespaces");

        var partial = TableConverter.ToTable(type, [ns], "99", "tok", 5, "Metadata", Now, apiVersion: "meta.k8s.io/v1beta1");
        Assert.Equal("Table", partial["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1beta1", partial["apiVersion"]!.GetValue<string>());
        Assert.Equal("""{"resourceVersion":"99","continue":"tok","remainingItemCount":5}""", partial["metadata"]!.ToJsonString());
        var obj = partial["rows"]![0]!["object"]!;
        Assert.Equal("PartialObjectMetadata", obj["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1beta1", obj["apiVersion"]!.GetValue<string>());
        Assert.Null(obj["status"]);
        Assert.Equal("shop", obj["metadata"]!["name"]!.GetValue<string>());

        var full = TableConverter.ToTable(type, [ns], "99", null, null, "Object", Now);
        Assert.Equal("Active", full["rows"]![0]!["object"]!["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("""{"resourceVersion":"99"}""", full["metadata"]!.ToJsonString());

        var none = TableConverter.ToTable(type, [ns], "99", null, null, "None", Now);
        Assert.True(none["rows"]![0]!.AsObject().ContainsKey("object"));
        Assert.Null(none["rows"]![0]!["object"]);

        var e = Assert.Throws<ApiException>(() => TableConverter.ToTable(type, [ns], "99", null, null, "All", Now));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void ToTable_ColumnDefinition_HasAllFields()
    {
        var table = Table(Type("", "v1", "namespaces"));
        var name = table["columnDefinitions"]![0]!.AsObject();
        Assert.Equal(["name", "type", "format", "description", "priority"], name.Select(p => p.Key).ToArray());
        Assert.Equal("name", name["format"]!.GetValue<string>());
        Assert.Empty(table["rows"]!.AsArray());
    }

    [Fact]
    public void ToTable_NoHeaders_SendsNullColumnDefinitions()
    {
        var table = TableConverter.ToTable(Type("", "v1", "namespaces"), [], "5", null, null, "", Now, noHeaders: true);
        Assert.True(table.ContainsKey("columnDefinitions"));
        Assert.Null(table["columnDefinitions"]);
    }
}
