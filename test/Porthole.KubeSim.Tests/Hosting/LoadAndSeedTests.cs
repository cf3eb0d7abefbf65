using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Porthole.KubeSim.Hosting;

namespace Porthole.KubeSim.Tests.Hosting;

/// <summary>The demo seed, --pods and --churn, each on a simulator of its own.</summary>
public sealed class LoadAndSeedTests
{
    private static Task<SimServer> StartAsync(KubeSimOptions options) =>
        SimServer.StartAsync(options with { Listen = new IPEndPoint(IPAddress.Loopback, 0) });

    private static Kubernetes Client(SimServer sim)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sim.Kubeconfig));
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
    }

    [Fact]
    public async Task DemoSeed_Default_DeploymentsCrashPodCrdAndEvents()
    {
        await using var sim = await StartAsync(new KubeSimOptions());
        var client = Client(sim);
        var deployments = await client.AppsV1.ListDeploymentForAllNamespacesAsync();
        Assert.Contains(deployments.Items, d => d.Metadata.NamespaceProperty == "team-a" && d.Metadata.Name == "api" && d.Spec.Replicas == 2);
        Assert.Contains(deployments.Items, d => d.Metadata.NamespaceProperty == "default" && d.Metadata.Name == "web" && d.Metadata.Generation == 1);
        var namespaces = (await client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).ToList();
        Assert.Contains("team-a", namespaces);
        Assert.Contains("team-b", namespaces);
        // The controllers and the kubelet bring the seed to life: replicas run, the crash pod loops.
        await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "default"), d => d.Status?.AvailableReplicas == 3, TimeSpan.FromSeconds(60), "web available");
        var crashing = await Eventually.GetAsync(
            () => client.CoreV1.ReadNamespacedPodAsync("report-generator", "team-a"),
            p => p.Status?.ContainerStatuses?.SingleOrDefault()?.RestartCount >= 1,
            TimeSpan.FromSeconds(60),
            "report-generator restarted");
        Assert.Contains("crash", crashing.Spec.Containers.Single().Image, StringComparison.Ordinal);
        Assert.Equal("Error", crashing.Status.ContainerStatuses.Single().LastState.Terminated.Reason);

        using var http = sim.CreateHttpClient();
        var backups = JsonNode.Parse(await Eventually.GetAsync(
            async () => { using var r = await http.GetAsync("/apis/demo.kubesim.io/v1/backups"); return r.IsSuccessStatusCode ? await r.Content.ReadAsStringAsync() : ""; },
            body => body.Length > 0, what: "backups served"))!;
        Assert.Equal(3, backups["items"]!.AsArray().Count);
        var events = await client.CoreV1.ListEventForAllNamespacesAsync();
        Assert.Contains(events.Items, e => e.Reason == "Completed" && e.InvolvedObject.Kind == "Backup");
    }

    [Fact]
    public async Task Pods_TenThousand_StoredInNamespaceLoad()
    {
        await using var sim = await StartAsync(new KubeSimOptions { Seed = "empty", Pods = 10_000 });
        var pods = sim.Registry.Find("", "v1", "pods")!;
        Assert.Equal(10_000, sim.Store.Count(pods, "load"));
        var first = Client(sim).CoreV1.ReadNamespacedPod("load-000000", "load");
        Assert.NotEqual(first.Metadata.Uid, Client(sim).CoreV1.ReadNamespacedPod("load-009999", "load").Metadata.Uid);
        Assert.Equal("load", first.Metadata.Labels["app"]);
    }

    [Fact]
    public async Task Churn_Rate_RaisesResourceVersionAtLeastAtHalfTheRate()
    {
        await using var sim = await StartAsync(new KubeSimOptions { Seed = "empty", Churn = 200 });
        using var http = sim.CreateHttpClient();
        async Task<long> ListRvAsync()
        {
            var list = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/load/configmaps?limit=1"))!;
            return long.Parse((string)list["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
        }

        await Eventually.GetAsync(() => Task.FromResult(sim.Counters.ChurnWrites), n => n > 0, what: "churn started");
        var start = await ListRvAsync();
        var clock = Stopwatch.StartNew();
        await Eventually.GetAsync(() => Task.FromResult(clock.Elapsed), e => e >= TimeSpan.FromSeconds(2), what: "two seconds of churn");
        var end = await ListRvAsync();
        var elapsed = clock.Elapsed.TotalSeconds;

        // Lower bound only: the loop paces itself to the rate, a loaded machine may fall behind.
        Assert.True(end - start >= 200 * 2 / 2, $"{end - start} writes in {elapsed:F1}s");
        Assert.True(sim.Counters.ChurnRate > 0);
        var bumped = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/load/configmaps/churn-000"))!;
        Assert.NotNull((string?)bumped["metadata"]!["annotations"]![SimChurn.Annotation]);

        await sim.Churn.StopAsync();
        var stopped = sim.Counters.ChurnWrites;
        var rv = await ListRvAsync();
        Assert.Equal(0, sim.Counters.ChurnRate);
        Assert.Equal(stopped, sim.Counters.ChurnWrites);
        Assert.True(rv >= end);
    }
}
