using System.Text.RegularExpressions;

namespace Porthole.KubeSim.Tests.Kubectl;

public abstract partial class KubectlScenarioTests
{
    [Fact]
    public async Task GetWatch_ReceivesEventsAsTheyHappen()
    {
        var (k, ns) = await SetupAsync("watch");
        await k.OkAsync("create", "configmap", "first", "-n", ns);
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = k.RunAsync(
            ["get", "configmaps", "-n", ns, "-w", "--output-watch-events"],
            stopWhen: text =>
            {
                if (text.Contains("first", StringComparison.Ordinal))
                {
                    listed.TrySetResult();
                }

                return Regex.IsMatch(text, @"DELETED\s+watched");
            },
            timeout: TimeSpan.FromSeconds(90));

        // The first object is in the initial list: from here on the watch sees every change.
        await listed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await k.OkAsync("create", "configmap", "watched", "-n", ns, "--from-literal=k=v");
        await k.OkAsync("patch", "configmap", "watched", "-n", ns, "--type=merge", "-p", """{"data":{"k":"w"}}""");
        await k.OkAsync("delete", "configmap", "watched", "-n", ns);
        var result = await watching;
        Assert.Matches(@"ADDED\s+first", result.Stdout);
        Assert.Matches(@"ADDED\s+watched\s+1", result.Stdout);
        Assert.Matches(@"MODIFIED\s+watched\s+1", result.Stdout);
        Assert.Matches(@"DELETED\s+watched", result.Stdout);
        Assert.Equal("configmap/first", (await k.OkAsync("get", "configmaps", "-n", ns, "-o", "name")).Trim());
    }

    [Fact]
    public async Task Crd_ListedByApiResources_ServedAndExplained()
    {
        var k = Kubectl();
        var suffix = Prefix;
        var crd = await WriteAsync($$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets{{suffix}}.example.com
            spec:
              group: example.com
              scope: Namespaced
              names:
                plural: widgets{{suffix}}
                singular: widget{{suffix}}
                kind: Widget{{suffix.ToUpperInvariant()}}
                shortNames: [wd{{suffix}}]
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        description: The widget's desired state.
                        properties:
                          size:
                            type: integer
                            description: How big the widget is.
            """);
        await k.OkAsync("apply", "-f", crd);
        var resources = await EventuallyAsync(() => k.RunAsync("api-resources", "--api-group=example.com"), r => r.Stdout.Contains($"widgets{suffix}", StringComparison.Ordinal), "CRD in api-resources");
        Assert.Matches($@"widgets{suffix}\s+wd{suffix}\s+example.com/v1\s+true\s+Widget{suffix.ToUpperInvariant()}", resources.Stdout);
        var cr = await WriteAsync($$"""
            apiVersion: example.com/v1
            kind: Widget{{suffix.ToUpperInvariant()}}
            metadata:
              name: first
              namespace: default
            spec:
              size: 3
            """);
        await k.OkAsync("apply", "-f", cr);
        Assert.Contains("first", await k.OkAsync("get", $"wd{suffix}", "-n", "default"), StringComparison.Ordinal);
        var explain = await k.OkAsync("explain", $"widgets{suffix}.spec.size");
        Assert.Contains("How big the widget is", explain, StringComparison.Ordinal);
        await k.OkAsync("delete", "crd", $"widgets{suffix}.example.com");
        await EventuallyAsync(() => k.RunAsync("api-resources", "--api-group=example.com"), r => !r.Stdout.Contains($"widgets{suffix}", StringComparison.Ordinal), "CRD gone from api-resources");
    }

    [Fact]
    public async Task Explain_BuiltInField_DescribesIt()
    {
        var k = Kubectl();
        var explain = await k.OkAsync("explain", "deployment.spec.replicas");
        Assert.Contains("replicas", explain, StringComparison.Ordinal);
        Assert.Contains("integer", explain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChunkSize_PagesThroughEverything()
    {
        var (k, ns) = await SetupAsync("chunks");
        for (var i = 0; i < 7; i++)
        {
            await k.OkAsync("create", "configmap", $"c{i}", "-n", ns);
        }

        var output = await k.OkAsync("get", "configmaps", "-n", ns, "--chunk-size=2", "-o", "name");
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"configmap/c{i}"), output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("configmap/c", StringComparison.Ordinal)));
    }
}
