using System.Text.Json.Nodes;

namespace Porthole.KubeSim.Tests.Kubectl;

/// <summary>
/// The operator's scenario with the real kubectl 1.30 and later, each version by its own binary,
/// on top of the smoke set every installed version runs: what an operator types, with the
/// output a real cluster gives and the state it leaves.
/// </summary>
public abstract partial class KubectlScenarioTests : KubectlSmokeTests
{
    protected KubectlScenarioTests(KubectlCluster cluster, string version)
        : base(cluster, version)
    {
    }

    [Fact]
    public async Task Patch_EachType_AndReplace()
    {
        var (k, ns) = await SetupAsync("patch");
        await k.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "-n", ns);
        await k.OkAsync("patch", "deployment", "web", "-n", ns, "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}""");
        Assert.Equal("nginx:1.28", (await k.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Trim());
        await k.OkAsync("patch", "deployment", "web", "-n", ns, "--type=merge", "-p", """{"metadata":{"labels":{"tier":"front"}}}""");
        await k.OkAsync("patch", "deployment", "web", "-n", ns, "--type=json", "-p", """[{"op":"replace","path":"/spec/replicas","value":3}]""");
        var obj = JsonNode.Parse(await k.OkAsync("get", "deploy", "web", "-n", ns, "-o", "json"))!;
        Assert.Equal("front", (string?)obj["metadata"]!["labels"]!["tier"]);
        Assert.Equal(3, (int?)obj["spec"]!["replicas"]);

        obj["spec"]!["replicas"] = 2;
        obj["metadata"]!.AsObject().Remove("resourceVersion"); // the deployment controller keeps writing status
        var file = await WriteAsync(obj.ToJsonString());
        Assert.Contains("replaced", await k.OkAsync("replace", "-f", file), StringComparison.Ordinal);
        Assert.Equal("2", (await k.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).Trim());
    }

    [Fact]
    public async Task Delete_WithCascade_RemovesOrKeepsDependents()
    {
        var (k, ns) = await SetupAsync("cascade");
        await k.OkAsync("create", "configmap", "owner", "-n", ns);
        var uid = (await k.OkAsync("get", "cm", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        foreach (var name in new[] { "kept", "gone" })
        {
            await k.OkAsync("create", "configmap", name, "-n", ns);
        }

        var ownerRef = $$$"""{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"{{{uid}}}"}]}}""";
        await k.OkAsync("patch", "cm", "gone", "-n", ns, "--type=merge", "-p", ownerRef);
        await k.OkAsync("delete", "cm", "owner", "-n", ns, "--cascade=foreground");
        await EventuallyAsync(() => k.RunAsync("get", "cm", "gone", "-n", ns), r => r.ExitCode != 0 && r.Stderr.Contains("NotFound", StringComparison.Ordinal), "dependent deleted");

        await k.OkAsync("create", "configmap", "owner2", "-n", ns);
        var uid2 = (await k.OkAsync("get", "cm", "owner2", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Trim();
        await k.OkAsync("patch", "cm", "kept", "-n", ns, "--type=merge", "-p", ownerRef.Replace(uid, uid2, StringComparison.Ordinal).Replace("\"owner\"", "\"owner2\"", StringComparison.Ordinal));
        await k.OkAsync("delete", "cm", "owner2", "-n", ns, "--cascade=orphan");
        await EventuallyAsync(() => k.RunAsync("get", "cm", "kept", "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}"), r => r.ExitCode == 0 && r.Stdout.Trim().Length == 0, "dependent orphaned");
    }
}
