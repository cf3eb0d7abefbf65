using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Server;

public sealed class KubeApiPatchTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public KubeApiPatchTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container { Name = "app", Image = "nginx:1.27" },
                        new V1Container { Name = "sidecar", Image = "busybox:1.36" },
                    ],
                },
            },
        },
    };

    [Fact]
    public async Task Patch_StrategicMerge_ChangesOnlyTheNamedContainer()
    {
        using var client = _sim.Client();
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("smp"), "default");
        var patch = new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.28\"}]}}}}", V1Patch.PatchType.StrategicMergePatch);
        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(patch, "smp", "default");
        Assert.Equal(["nginx:1.28", "busybox:1.36"], patched.Spec.Template.Spec.Containers.Select(c => c.Image));
        Assert.Equal(created.Metadata.Generation + 1, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Patch_MergePatch_ReplacesLists()
    {
        using var client = _sim.Client();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("merge"), "default");
        var patch = new V1Patch("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.28\"}]}}}}", V1Patch.PatchType.MergePatch);
        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(patch, "merge", "default");
        Assert.Equal(["app"], patched.Spec.Template.Spec.Containers.Select(c => c.Name));
    }

    [Fact]
    public async Task Patch_JsonPatchFailedTest_Returns422()
    {
        using var client = _sim.Client();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("jsonpatch"), "default");
        var ok = new V1Patch("[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":1},{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]", V1Patch.PatchType.JsonPatch);
        Assert.Equal(3, (await client.AppsV1.PatchNamespacedDeploymentAsync(ok, "jsonpatch", "default")).Spec.Replicas);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.PatchNamespacedDeploymentAsync(ok, "jsonpatch", "default"));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
    }

    [Fact]
    public async Task Patch_StatusThroughMainResource_IsIgnored()
    {
        using var client = _sim.Client();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("status-split"), "default");
        var patch = new V1Patch("{\"status\":{\"replicas\":7}}", V1Patch.PatchType.MergePatch);
        var main = await client.AppsV1.PatchNamespacedDeploymentAsync(patch, "status-split", "default");
        Assert.NotEqual(7, main.Status?.Replicas);
        var status = await client.AppsV1.PatchNamespacedDeploymentStatusAsync(patch, "status-split", "default");
        Assert.Equal(7, status.Status.Replicas);
    }

    [Fact]
    public async Task Scale_ThroughSubresource_SetsReplicas()
    {
        using var client = _sim.Client();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("scaled"), "default");
        var patch = new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch);
        var scale = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, "scaled", "default");
        Assert.Equal(4, scale.Spec.Replicas);
        Assert.Equal(4, (await client.AppsV1.ReadNamespacedDeploymentAsync("scaled", "default")).Spec.Replicas);
        Assert.Equal("app=scaled", scale.Status.Selector);
    }

    [Fact]
    public async Task Scale_PatchCarryingStaleResourceVersion_Conflict()
    {
        using var client = _sim.Client();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("scaled-stale"), "default");
        var patch = new V1Patch("{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, "scaled-stale", "default"));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.NotEqual(4, (await client.AppsV1.ReadNamespacedDeploymentAsync("scaled-stale", "default")).Spec.Replicas);
    }

    [Fact]
    public async Task Create_DryRun_StoresNothing()
    {
        using var client = _sim.Client();
        var result = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("dry"), "default", dryRun: "All");
        Assert.Equal("dry", result.Metadata.Name);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("dry", "default"));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }
}
