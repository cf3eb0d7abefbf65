using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Porthole.KubeSim.Protobuf;

namespace Porthole.KubeSim.Tests.Protobuf;

public sealed class ProtoSchemaTests(SimFixture sim) : IClassFixture<SimFixture>
{
    [Fact]
    public async Task Schema_EveryKindInDiscovery_HasAMessage()
    {
        using var http = sim.Http();
        var versions = new List<string> { "api/v1" };
        var groups = await http.GetFromJsonAsync<JsonObject>("/apis");
        versions.AddRange(groups!["groups"]!.AsArray().SelectMany(g => g!["versions"]!.AsArray().Select(v => "apis/" + v!["groupVersion"]!.GetValue<string>())));
        var missing = new List<string>();
        var covered = 0;
        foreach (var path in versions)
        {
            var list = await http.GetFromJsonAsync<JsonObject>("/" + path);
            var groupVersion = list!["groupVersion"]!.GetValue<string>();
            foreach (var r in list["resources"]!.AsArray())
            {
                var name = r!["name"]!.GetValue<string>();
                var kind = r["kind"]!.GetValue<string>();
                if (kind is "PodExecOptions" or "PodAttachOptions" or "PodPortForwardOptions" or "PodProxyOptions")
                {
                    continue; // connect subresources: options travel in the query, never in a body
                }

                var apiVersion = r["group"] is { } g ? (g.GetValue<string>().Length == 0 ? "" : g.GetValue<string>() + "/") + r["version"]!.GetValue<string>() : groupVersion;
                var verbs = r["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
                var needed = new List<string> { kind };
                if (!name.Contains('/', StringComparison.Ordinal) && verbs.Contains("list"))
                {
                    needed.Add(kind + "List");
                }

                foreach (var k in needed)
                {
                    if (KubeProtobuf.Schema.Find(apiVersion, k) is null)
                    {
                        missing.Add($"{apiVersion} {k} ({name})");
                    }
                    else
                    {
                        covered++;
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "no protobuf message for: " + string.Join(", ", missing));
        Assert.True(covered > 100, $"only {covered} kinds checked");
    }

    [Fact]
    public void Schema_MetaKinds_HaveMessages()
    {
        Assert.NotNull(KubeProtobuf.Schema.Find("v1", "Status"));
        Assert.NotNull(KubeProtobuf.Schema.Find("v1", "DeleteOptions"));
        Assert.NotNull(KubeProtobuf.Schema.Message("meta.v1.WatchEvent"));
        Assert.NotNull(KubeProtobuf.Schema.Find("authentication.k8s.io/v1", "TokenRequest"));
    }

    [Fact]
    public void Schema_GoFacts_AreThoseOfTheStructTags()
    {
        // replicas *int32 `json:"replicas,omitempty"`; selector *LabelSelector `json:"selector"`;
        // ContainerPort.containerPort int32 `json:"containerPort"`; Volume's VolumeSource `json:",inline"`.
        var deploymentSpec = KubeProtobuf.Schema.Message("apps.v1.DeploymentSpec");
        var replicas = deploymentSpec.ByNumber(1)!;
        Assert.Equal(("replicas", ProtoKind.Int32, true, true), (replicas.JsonName, replicas.Kind, replicas.Pointer, replicas.OmitEmpty));
        Assert.False(deploymentSpec.ByNumber(2)!.OmitEmpty);
        var port = KubeProtobuf.Schema.Message("core.v1.ContainerPort").ByNumber(3)!;
        Assert.Equal(("containerPort", false, false), (port.JsonName, port.OmitEmpty, port.Pointer));
        Assert.True(KubeProtobuf.Schema.Message("core.v1.Volume").ByNumber(2)!.Inline);
        Assert.Equal(ProtoForm.Time, KubeProtobuf.Schema.Message("meta.v1.ObjectMeta").ByNumber(8)!.Message!.Form);
    }
}
