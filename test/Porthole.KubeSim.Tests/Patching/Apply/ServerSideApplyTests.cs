using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching;
using Porthole.KubeSim.Patching.Apply;
using static Porthole.KubeSim.Tests.Patching.Apply.ApplyFixtures;

namespace Porthole.KubeSim.Tests.Patching.Apply;

public sealed class ServerSideApplyTests
{
    private const string WebFields =
        """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""";

    [Fact]
    public void Apply_NoLiveObject_CreatesWithApplyEntry()
    {
        var result = ServerSideApply.Apply(Deployments, null, Deployment(), "kubectl", force: false, T0);

        Assert.Equal(2, result.Long("spec", "replicas"));
        var entry = Assert.Single(Managed(result))!.AsObject();
        Assert.Equal(
            """{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2026-11-23T20:00:00Z","fieldsType":"FieldsV1"}""",
            new JsonObject(entry.Where(p => p.Key != "fieldsV1").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());
        Assert.Equal(WebFields, Fields(entry));
    }

    [Fact]
    public void Apply_FieldDroppedFromConfig_RemovesItFromObject()
    {
        var live = Stored(ServerSideApply.Apply(Deployments, null, Deployment(labels: """{"app":"web","tier":"front"}"""), "kubectl", false, T0));

        var result = ServerSideApply.Apply(Deployments, live, Deployment(), "kubectl", false, T1);

        Assert.Equal("""{"app":"web"}""", result.Obj("metadata", "labels")!.ToJsonString());
        Assert.Equal(WebFields, Fields(Entry(result, "kubectl")));
        Assert.Equal("2026-11-23T20:05:00Z", Entry(result, "kubectl").Str("time"));
    }

    [Fact]
    public void Apply_FieldDroppedButOwnedByAnother_KeepsIt()
    {
        var live = Stored(ServerSideApply.Apply(ConfigMaps, null, J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1","b":"2"}}"""), "alpha", false, T0));
        live = ServerSideApply.Apply(ConfigMaps, live, J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"b":"2"}}"""), "beta", false, T0);

        var result = ServerSideApply.Apply(ConfigMaps, live, J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1"}}"""), "alpha", false, T1);

        Assert.Equal("""{"a":"1","b":"2"}""", result.Obj("data")!.ToJsonString());
        Assert.Equal("""{"f:data":{"f:a":{}}}""", Fields(Entry(result, "alpha")));
        Assert.Equal("""{"f:data":{"f:b":{}}}""", Fields(Entry(result, "beta")));
    }

    [Fact]
    public void Apply_TwoManagersDifferentFields_BothOwnTheirs()
    {
        var live = Stored(ServerSideApply.Apply(ConfigMaps, null, J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","labels":{"team":"a"}},"data":{"a":"1"}}"""), "alpha", false, T0));

        var result = ServerSideApply.Apply(ConfigMaps, live, J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","labels":{"env":"prod"}},"data":{"b":"2"}}"""), "beta", false, T1);

        Assert.Equal("""{"team":"a","env":"prod"}""", result.Obj("metadata", "labels")!.ToJsonString());
        Assert.Equal("""{"a":"1","b":"2"}""", result.Obj("data")!.ToJsonString());
        Assert.Equal("""{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:team":{}}}}""", Fields(Entry(result, "alpha")));
        Assert.Equal("""{"f:data":{"f:b":{}},"f:metadata":{"f:labels":{"f:env":{}}}}""", Fields(Entry(result, "beta")));
        Assert.Equal(["alpha", "beta"], Managed(result).Select(e => e!.Str("manager")));
    }

    [Fact]
    public void Apply_DifferentReplicasOwnedByOtherApplier_ThrowsConflict()
    {
        var live = Stored(ServerSideApply.Apply(Deployments, null, Deployment(), "kubectl", false, T0));

        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(Deployments, live, Deployment(replicas: 5), "autoscaler", false, T1));

        Assert.Equal(409, e.Code);
        Assert.Equal("Conflict", e.Reason);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas", e.Message);
        Assert.Equal(
            """{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"kubectl\"","field":".spec.replicas"}]}""",
            e.Details!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Apply_TwoConflictsWithUpdater_ListsThemUnderTheManager()
    {
        var created = Deployment();
        ManagedFields.RecordUpdate(Deployments, null, created, "kubectl-client-side-apply", null, T0);
        var live = Stored(created);

        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(Deployments, live, Deployment(replicas: 5, image: "nginx:1.27"), "deployer", false, T1));

        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image",
            e.Message);
        var causes = e.Details!.Arr("causes")!;
        Assert.Equal([".spec.replicas", ".spec.template.spec.containers[name=\"nginx\"].image"], causes.Select(c => c!.Str("field")));
        Assert.All(causes, c => Assert.Equal("conflict with \"kubectl-client-side-apply\" using apps/v1", c!.Str("message")));
    }

    [Fact]
    public void Apply_SameValueAsOtherManager_SharesOwnershipWithoutConflict()
    {
        var live = Stored(ServerSideApply.Apply(Deployments, null, Deployment(), "kubectl", false, T0));

        var result = ServerSideApply.Apply(Deployments, live, J("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}}"""), "autoscaler", false, T1);

        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", Fields(Entry(result, "autoscaler")));
        Assert.Equal(WebFields, Fields(Entry(result, "kubectl")));
    }

    [Fact]
    public void Apply_Force_TakesOwnershipFromOtherManager()
    {
        var live = Stored(ServerSideApply.Apply(Deployments, null, Deployment(), "kubectl", false, T0));

        var result = ServerSideApply.Apply(Deployments, live, J("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":5}}"""), "autoscaler", force: true, T1);

        Assert.Equal(5, result.Long("spec", "replicas"));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", Fields(Entry(result, "autoscaler")));
        Assert.DoesNotContain("f:replicas", Fields(Entry(result, "kubectl")), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_KubectlAfterClientSideApplyWithUnchangedValues_UpgradesWithoutConflict()
    {
        var created = Deployment();
        created.Metadata()["annotations"] = new JsonObject { [ServerSideApply.LastAppliedAnnotation] = Deployment().ToJsonString() };
        ManagedFields.RecordUpdate(Deployments, null, created, "kubectl-client-side-apply", null, T0);
        var live = Stored(created);

        var result = ServerSideApply.Apply(Deployments, live, Deployment(replicas: 3), "kubectl", false, T1);

        Assert.Equal(3, result.Long("spec", "replicas"));
        Assert.Contains("\"replicas\":3", result.Str("metadata", "annotations", ServerSideApply.LastAppliedAnnotation), StringComparison.Ordinal);
        Assert.EndsWith("\n", result.Str("metadata", "annotations", ServerSideApply.LastAppliedAnnotation), StringComparison.Ordinal);
        Assert.DoesNotContain("f:replicas", Fields(Entry(result, "kubectl-client-side-apply", "Update")), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_KubectlAfterClientSideApplyWhenLiveDrifted_Conflicts()
    {
        var created = Deployment();
        created.Metadata()["annotations"] = new JsonObject { [ServerSideApply.LastAppliedAnnotation] = Deployment().ToJsonString() };
        ManagedFields.RecordUpdate(Deployments, null, created, "kubectl-client-side-apply", null, T0);
        var live = Stored(created);
        var scaled = live.DeepClone().AsObject();
        scaled["spec"]!["replicas"] = 4;
        ManagedFields.RecordUpdate(Deployments, live, scaled, "kubectl-scale", null, T0);

        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(Deployments, scaled, Deployment(replicas: 3), "kubectl", false, T1));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas", e.Message);
    }

    [Fact]
    public void Apply_ContainersListMap_MergesByName()
    {
        var live = Stored(ServerSideApply.Apply(Deployments, null, Deployment(), "kubectl", false, T0));
        var sidecar = J("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"template":{"spec":{"containers":[{"name":"log","image":"busybox","args":["tail","-f","/var/log/app.log"]}]}}}}
            """);

        var result = ServerSideApply.Apply(Deployments, live, sidecar, "sidecar-injector", false, T1);

        var containers = result.Arr("spec", "template", "spec", "containers")!;
        Assert.Equal(["nginx", "log"], containers.Select(c => c!.Str("name")));
        Assert.Equal("nginx:1.25", containers[0]!.Str("image"));
        Assert.Equal(
            """{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"log\"}":{".":{},"f:args":{},"f:image":{},"f:name":{}}}}}}}""",
            Fields(Entry(result, "sidecar-injector")));
    }

    [Fact]
    public void Apply_ContainerDroppedByItsApplier_RemovesOnlyThatContainer()
    {
        var two = Deployment();
        two["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(J("""{"name":"log","image":"busybox"}"""));
        var live = Stored(ServerSideApply.Apply(Deployments, null, two, "kubectl", false, T0));

        var result = ServerSideApply.Apply(Deployments, live, Deployment(), "kubectl", false, T1);

        Assert.Equal(["nginx"], result.Arr("spec", "template", "spec", "containers")!.Select(c => c!.Str("name")));
    }

    [Fact]
    public void Apply_AtomicArgsList_ReplacedWhole()
    {
        var v1 = J("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[{"name":"nginx","args":["a","b"]}]}}}}""");
        var v2 = J("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[{"name":"nginx","args":["c"]}]}}}}""");
        var live = Stored(ServerSideApply.Apply(Deployments, null, v1, "kubectl", false, T0));

        var result = ServerSideApply.Apply(Deployments, live, v2, "kubectl", false, T1);

        Assert.Equal("""["c"]""", result.Arr("spec", "template", "spec", "containers")![0]!["args"]!.ToJsonString());
    }

    [Fact]
    public void Apply_StatusInConfigOnMainResource_IsNeitherAppliedNorOwned()
    {
        var config = Deployment();
        config["status"] = J("""{"replicas":9}""");

        var result = ServerSideApply.Apply(Deployments, null, config, "kubectl", false, T0);

        Assert.Null(result["status"]);
        Assert.Equal(WebFields, Fields(Entry(result, "kubectl")));
    }

    [Fact]
    public void Apply_StatusSubresource_RecordsSubresourceEntry()
    {
        var live = Stored(ServerSideApply.Apply(Deployments, null, Deployment(), "kubectl", false, T0));
        var status = J("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":7},"status":{"readyReplicas":2}}""");

        var result = ServerSideApply.Apply(Deployments, live, status, "controller", false, T1, subresource: "status");

        Assert.Equal(2, result.Long("spec", "replicas"));
        Assert.Equal(2, result.Long("status", "readyReplicas"));
        var entry = Entry(result, "controller");
        Assert.Equal("status", entry.Str("subresource"));
        Assert.Equal("""{"f:status":{"f:readyReplicas":{}}}""", Fields(entry));
    }

    [Fact]
    public void Apply_NoChange_KeepsTimestamps()
    {
        var live = Stored(ServerSideApply.Apply(Deployments, null, Deployment(), "kubectl", false, T0));

        var result = ServerSideApply.Apply(Deployments, live, Deployment(), "kubectl", false, T1);

        Assert.Equal("2026-11-23T20:00:00Z", Entry(result, "kubectl").Str("time"));
        Assert.True(JsonNode.DeepEquals(live, result));
    }

    [Fact]
    public void Apply_ObjectWithoutManagedFields_AssignsExistingFieldsToBeforeFirstApply()
    {
        var live = Stored(J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1"}}"""));

        var result = ServerSideApply.Apply(ConfigMaps, live, J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"b":"2"}}"""), "kubectl", false, T1);

        Assert.Equal("""{"f:data":{".":{},"f:a":{}}}""", Fields(Entry(result, "before-first-apply", "Update")));
        Assert.Equal("""{"f:data":{"f:b":{}}}""", Fields(Entry(result, "kubectl")));
    }

    [Fact]
    public void Apply_ManagedFieldsInBody_ThrowsBadRequest()
    {
        var config = Deployment();
        config.Metadata()["managedFields"] = new JsonArray();

        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(Deployments, null, config, "kubectl", false, T0));

        Assert.Equal(400, e.Code);
        Assert.Equal("metadata.managedFields must be nil", e.Message);
    }

    [Fact]
    public void Apply_ListMapItemWithoutKey_ThrowsBadRequest()
    {
        var config = J("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[{"image":"nginx"}]}}}}""");

        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(Deployments, null, config, "kubectl", false, T0));

        Assert.Equal(400, e.Code);
        Assert.Contains(".spec.template.spec.containers: element 0: associative list with keys has an element that omits key field \"name\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FinalizersSet_MergesValuesAndPrunesOwnOnly()
    {
        static JsonObject Cm(string finalizers) =>
            J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","finalizers":""" + finalizers + "}}");
        var live = Stored(ServerSideApply.Apply(ConfigMaps, null, Cm("""["example.com/a"]"""), "alpha", false, T0));
        live = ServerSideApply.Apply(ConfigMaps, live, Cm("""["example.com/b"]"""), "beta", false, T0);

        var result = ServerSideApply.Apply(ConfigMaps, live, Cm("[]"), "alpha", false, T1);

        Assert.Equal("""["example.com/a","example.com/b"]""", live.Arr("metadata", "finalizers")!.ToJsonString());
        Assert.Equal("""["example.com/b"]""", result.Arr("metadata", "finalizers")!.ToJsonString());
        Assert.Equal("""{"f:metadata":{"f:finalizers":{"v:\"example.com/b\"":{}}}}""", Fields(Entry(result, "beta")));
    }

    [Fact]
    public void Apply_ServicePorts_KeyedByPortAndDefaultedProtocol()
    {
        var services = Registry.Find("", "v1", "services")!;
        var config = J("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080},{"port":53,"protocol":"UDP"}]}}""");

        var result = ServerSideApply.Apply(services, null, config, "kubectl", false, T0);

        Assert.Equal(
            """{"f:spec":{"f:ports":{"k:{\"port\":53,\"protocol\":\"UDP\"}":{".":{},"f:port":{},"f:protocol":{}},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:targetPort":{}}},"f:selector":{"f:app":{}}}}""",
            Fields(Entry(result, "kubectl")));
    }

    [Fact]
    public void Apply_ReorderedContainers_TakesConfigOrderAndKeepsLiveOnlyItemsInPlace()
    {
        static JsonObject D(params string[] names)
        {
            var d = J("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[]}}}}""");
            foreach (var n in names)
            {
                d["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = n, ["image"] = n });
            }

            return d;
        }

        var live = Stored(ServerSideApply.Apply(Deployments, null, D("a", "b", "c"), "kubectl", false, T0));
        live = ServerSideApply.Apply(Deployments, live, D("x"), "other", false, T0);

        var result = ServerSideApply.Apply(Deployments, live, D("c", "b", "a"), "kubectl", false, T1);

        Assert.Equal(["c", "x", "b", "a"], result.Arr("spec", "template", "spec", "containers")!.Select(c => c!.Str("name")));
    }

    [Fact]
    public void Apply_CustomResourceWithListMapKeys_MergesItemsFromTwoManagers()
    {
        var widgets = new ResourceType("example.com", "v1", "widgets", "Widget", true, [], [], ResourceType.AllVerbs, []) { IsCustom = true };
        Func<IReadOnlyList<string>, ListStrategy> lists =
            path => path is ["spec", "rules"] ? ListStrategy.Map("host") : ListStrategy.Atomic;
        var live = Stored(ServerSideApply.Apply(widgets, null, J("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"rules":[{"host":"a","port":1}],"tags":["x"]}}"""), "alpha", false, T0, listStrategy: lists));

        var result = ServerSideApply.Apply(widgets, live, J("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"rules":[{"host":"b","port":2}]}}"""), "beta", false, T1, listStrategy: lists);

        Assert.Equal("""[{"host":"a","port":1},{"host":"b","port":2}]""", result.Arr("spec", "rules")!.ToJsonString());
        Assert.Equal("""{"f:spec":{"f:rules":{"k:{\"host\":\"a\"}":{".":{},"f:host":{},"f:port":{}}},"f:tags":{}}}""", Fields(Entry(result, "alpha")));
    }
}
