using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Patching;
using Porthole.KubeSim.Patching.Apply;
using static Porthole.KubeSim.Tests.Patching.Apply.ApplyFixtures;

namespace Porthole.KubeSim.Tests.Patching.Apply;

public sealed class ManagedFieldsTests
{
    /// <summary>kubectl create deployment web --image=nginx, as stored after defaulting.</summary>
    private static JsonObject CreatedDeployment() => Stored(J("""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {"name": "web", "namespace": "default", "generation": 1, "labels": {"app": "web"}},
          "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
              "metadata": {"labels": {"app": "web"}},
              "spec": {
                "containers": [{"name": "nginx", "image": "nginx", "resources": {}, "terminationMessagePath": "/dev/termination-log",
                                "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "securityContext": {}, "schedulerName": "default-scheduler"
              }
            },
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
          },
          "status": {}
        }
        """));

    [Fact]
    public void RecordUpdate_Create_RecordsEveryFieldLikeKubectlCreate()
    {
        var obj = CreatedDeployment();

        ManagedFields.RecordUpdate(Deployments, null, obj, "kubectl-create", null, T0);

        var entry = Assert.Single(Managed(obj))!.AsObject();
        Assert.Equal("kubectl-create", entry.Str("manager"));
        Assert.Equal("Update", entry.Str("operation"));
        Assert.Equal("apps/v1", entry.Str("apiVersion"));
        Assert.Equal("2026-11-23T20:00:00Z", entry.Str("time"));
        Assert.Null(entry["subresource"]);
        Assert.Equal(
            """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}""",
            Fields(entry));
    }

    [Fact]
    public void RecordUpdate_ChangedField_MovesOwnershipToNewManager()
    {
        var live = CreatedDeployment();
        ManagedFields.RecordUpdate(Deployments, null, live, "kubectl-create", null, T0);
        var edited = live.DeepClone().AsObject();
        edited["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.27";

        ManagedFields.RecordUpdate(Deployments, live, edited, "kubectl-edit", null, T1);

        Assert.Equal(["kubectl-create", "kubectl-edit"], Managed(edited).Select(e => e!.Str("manager")));
        Assert.Equal(
            """{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{"f:image":{}}}}}}}""",
            Fields(Entry(edited, "kubectl-edit", "Update")));
        Assert.DoesNotContain("\"f:image\"", Fields(Entry(edited, "kubectl-create", "Update")), StringComparison.Ordinal);
        Assert.Equal("2026-11-23T20:05:00Z", Entry(edited, "kubectl-edit", "Update").Str("time"));
    }

    [Fact]
    public void RecordUpdate_NothingChanged_LeavesEntriesAsTheyWere()
    {
        var live = CreatedDeployment();
        ManagedFields.RecordUpdate(Deployments, null, live, "kubectl-create", null, T0);
        var same = live.DeepClone().AsObject();

        ManagedFields.RecordUpdate(Deployments, live, same, "kubectl-replace", null, T1);

        Assert.True(JsonNode.DeepEquals(live.Arr("metadata", "managedFields"), same.Arr("metadata", "managedFields")));
    }

    [Fact]
    public void RecordUpdate_ExistingObjectWithoutManagedFields_StaysUntracked()
    {
        var live = CreatedDeployment();
        var edited = live.DeepClone().AsObject();
        edited["spec"]!["replicas"] = 3;

        ManagedFields.RecordUpdate(Deployments, live, edited, "kubectl-edit", null, T1);

        Assert.Null(edited.At("metadata", "managedFields"));
    }

    [Fact]
    public void RecordUpdate_BodyResetsManagedFields_ClearsThem()
    {
        var live = CreatedDeployment();
        ManagedFields.RecordUpdate(Deployments, null, live, "kubectl-create", null, T0);
        var reset = live.DeepClone().AsObject();
        reset.Metadata()["managedFields"] = new JsonArray(new JsonObject());

        ManagedFields.RecordUpdate(Deployments, live, reset, "kubectl-patch", null, T1);

        Assert.Null(reset.At("metadata", "managedFields"));
    }

    [Fact]
    public void RecordUpdate_StatusSubresource_RecordsOnlyStatusUnderSubresource()
    {
        var live = CreatedDeployment();
        ManagedFields.RecordUpdate(Deployments, null, live, "kubectl-create", null, T0);
        var updated = live.DeepClone().AsObject();
        updated["status"] = J("""{"replicas":1,"readyReplicas":1,"conditions":[{"type":"Available","status":"True"}]}""");
        updated["spec"]!["replicas"] = 9;

        ManagedFields.RecordUpdate(Deployments, live, updated, "kube-controller-manager", "status", T1);

        var entry = Entry(updated, "kube-controller-manager", "Update");
        Assert.Equal("status", entry.Str("subresource"));
        Assert.Equal(
            """{"f:status":{"f:conditions":{".":{},"k:{\"type\":\"Available\"}":{".":{},"f:status":{},"f:type":{}}},"f:readyReplicas":{},"f:replicas":{}}}""",
            Fields(entry));
    }

    [Fact]
    public void RecordUpdate_MainResourceWithStatusSubresource_IgnoresStatus()
    {
        var obj = CreatedDeployment();
        obj["status"] = J("""{"replicas":1}""");

        ManagedFields.RecordUpdate(Deployments, null, obj, "kubectl-create", null, T0);

        Assert.DoesNotContain("f:status", Fields(Entry(obj, "kubectl-create", "Update")), StringComparison.Ordinal);
    }

    [Fact]
    public void RecordUpdate_CustomResource_TreatsListsAsAtomicAndMarksSpec()
    {
        var crType = new ResourceType("example.com", "v1", "widgets", "Widget", true, [], [], ResourceType.AllVerbs, []) { IsCustom = true };
        var obj = Stored(J("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"containers":[{"name":"a"}],"size":3}}"""));

        ManagedFields.RecordUpdate(crType, null, obj, "kubectl-create", null, T0);

        Assert.Equal("""{"f:spec":{".":{},"f:containers":{},"f:size":{}}}""", Fields(Entry(obj, "kubectl-create", "Update")));
    }

    [Fact]
    public void RecordUpdate_ListStrategyOverride_UsesListMapKeys()
    {
        var crType = new ResourceType("example.com", "v1", "widgets", "Widget", true, [], [], ResourceType.AllVerbs, []) { IsCustom = true };
        var obj = Stored(J("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"ports":[{"name":"http","port":80}]}}"""));

        ManagedFields.RecordUpdate(crType, null, obj, "kubectl-create", null, T0,
            path => path is ["spec", "ports"] ? ListStrategy.Map("name") : ListStrategy.Atomic);

        Assert.Equal(
            """{"f:spec":{".":{},"f:ports":{".":{},"k:{\"name\":\"http\"}":{".":{},"f:name":{},"f:port":{}}}}}""",
            Fields(Entry(obj, "kubectl-create", "Update")));
    }

    [Fact]
    public void RecordUpdate_ElevenUpdaters_MergesOldestIntoAncientChanges()
    {
        var obj = Stored(J("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{}}"""));
        ManagedFields.RecordUpdate(ConfigMaps, null, obj, "creator", null, T0);
        for (var i = 0; i < 11; i++)
        {
            var next = obj.DeepClone().AsObject();
            next["data"]![$"k{i}"] = "v";
            ManagedFields.RecordUpdate(ConfigMaps, obj, next, $"writer-{i:00}", null, T0.AddMinutes(i + 1));
            obj = next;
        }

        var managers = Managed(obj).Select(e => e!.Str("manager")).ToList();
        Assert.Equal(ManagedFields.MaxUpdateManagers, managers.Count);
        Assert.DoesNotContain("creator", managers);
        Assert.DoesNotContain("writer-00", managers);
        Assert.DoesNotContain("writer-01", managers);
        var ancient = Entry(obj, "ancient-changes", "Update");
        Assert.Equal("""{"f:data":{".":{},"f:k0":{},"f:k1":{}}}""", Fields(ancient));
        Assert.Equal("2026-11-23T20:02:00Z", ancient.Str("time"));
    }

    [Theory]
    [InlineData("kubectl-edit", "kubectl/v1.31.0 (linux/amd64) kubernetes/abc", "kubectl-edit")]
    [InlineData(null, "kubectl/v1.31.0 (linux/amd64) kubernetes/abc", "kubectl")]
    [InlineData("", "Mozilla/5.0", "Mozilla")]
    [InlineData(null, "my-operator", "my-operator")]
    public void DefaultManager_FieldManagerOrUserAgentPrefix(string? fieldManager, string userAgent, string expected)
    {
        Assert.Equal(expected, ManagedFields.DefaultManager(fieldManager, userAgent));
    }
}
