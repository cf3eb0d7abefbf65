using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Tests.Kubelet;

public sealed class KubeletLifecycleTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Run_NewPod_PendingThenRunningWithFullStatus()
    {
        await using var cluster = await SimCluster.StartAsync();
        var pod = SimCluster.Pod("shop", "web", "app", "sidecar");
        pod.Set(["spec", "initContainers"], new JsonArray(new JsonObject { ["name"] = "migrate", ["image"] = "busybox:1.36" }));
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" },
        };
        cluster.Store.Create(cluster.Pods, pod);

        Assert.True(await cluster.WaitFor(() => cluster.Get("shop", "web")!.Str("spec", "nodeName") is not null));
        var pending = cluster.Get("shop", "web")!;
        Assert.Equal("Pending", pending.Str("status", "phase"));
        Assert.Equal("ContainerCreating", pending.Arr("status", "initContainerStatuses")![0].Str("state", "waiting", "reason"));
        Assert.Equal("PodInitializing", pending.Arr("status", "containerStatuses")![0].Str("state", "waiting", "reason"));
        Assert.Contains(pending.Arr("status", "conditions")!, c => c.Str("type") == "PodScheduled" && c.Str("status") == "True");

        Assert.True(await cluster.WaitFor(() => cluster.Get("shop", "web")!.Str("status", "phase") == "Running", Step));
        var running = cluster.Get("shop", "web")!;
        var node = running.Str("spec", "nodeName")!;
        var index = SimNodes.IndexOf(node);
        Assert.Equal(SimNodes.InternalIp(index), running.Str("status", "hostIP"));
        Assert.Equal(SimNodes.InternalIp(index), running.Arr("status", "hostIPs")![0].Str("ip"));
        Assert.StartsWith($"10.244.{index - 1}.", running.Str("status", "podIP"));
        Assert.Equal(running.Str("status", "podIP"), running.Arr("status", "podIPs")![0].Str("ip"));
        Assert.Equal("Burstable", running.Str("status", "qosClass"));
        Assert.NotNull(running.Str("status", "startTime"));
        Assert.Equal(
            ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"],
            running.Arr("status", "conditions")!.Select(c => c.Str("type")));
        Assert.All(running.Arr("status", "conditions")!, c =>
        {
            Assert.Equal("True", c.Str("status"));
            Assert.NotNull(c.Str("lastTransitionTime"));
        });

        var app = running.Arr("status", "containerStatuses")![0]!;
        Assert.Equal("app", app.Str("name"));
        Assert.Equal("docker.io/library/nginx:1.27", app.Str("image"));
        Assert.Matches("^docker.io/library/nginx@sha256:[0-9a-f]{64}$", app.Str("imageID"));
        Assert.Matches("^containerd://[0-9a-f]{64}$", app.Str("containerID"));
        Assert.True(app.Bool("ready"));
        Assert.True(app.Bool("started"));
        Assert.Equal(0, app.Long("restartCount"));
        Assert.NotNull(app.Str("state", "running", "startedAt"));
        var init = running.Arr("status", "initContainerStatuses")![0]!;
        Assert.Equal("Completed", init.Str("state", "terminated", "reason"));
        Assert.Equal(0, init.Long("state", "terminated", "exitCode"));

        var typed = k8s.KubernetesJson.Deserialize<k8s.Models.V1Pod>(running.ToJsonString());
        Assert.Equal("Running", typed.Status.Phase);
        Assert.Equal(2, typed.Status.ContainerStatuses.Count);
    }

    [Fact]
    public async Task Run_RunningPod_RecordsSchedulerAndKubeletEvents()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", "nginx"));

        Assert.True(await cluster.WaitFor(() => cluster.EventsFor("nginx").Any(e => e.Str("reason") == "Started"), Step));
        var events = cluster.EventsFor("nginx");
        var node = cluster.Get("default", "nginx")!.Str("spec", "nodeName");
        Assert.Equal(["Scheduled", "Pulling", "Pulled", "Created", "Started"], events.Select(e => e.Str("reason")));
        var scheduled = events[0];
        Assert.Equal($"Successfully assigned default/nginx to {node}", scheduled.Str("message"));
        Assert.Equal("default-scheduler", scheduled.Str("source", "component"));
        Assert.Equal("Pulling image \"nginx:1.27\"", events[1].Str("message"));
        Assert.Matches("^Successfully pulled image \"nginx:1.27\" in [0-9.]+s \\([0-9.]+s including waiting\\)\\. Image size: [0-9]+ bytes\\.$", events[2].Str("message"));
        Assert.Equal("Created container app", events[3].Str("message"));
        Assert.Equal("Started container app", events[4].Str("message"));
        foreach (var e in events.Skip(1))
        {
            Assert.Equal("kubelet", e.Str("source", "component"));
            Assert.Equal(node, e.Str("source", "host"));
            Assert.Equal("kubelet", e.Str("reportingComponent"));
            Assert.Equal(node, e.Str("reportingInstance"));
            Assert.Equal("spec.containers{app}", e.Str("involvedObject", "fieldPath"));
        }

        Assert.All(events, e =>
        {
            Assert.Equal("Normal", e.Str("type"));
            Assert.Equal("default", e.Namespace());
            Assert.Equal("Pod", e.Str("involvedObject", "kind"));
            Assert.Equal(1, e.Long("count"));
            Assert.NotNull(e.Str("firstTimestamp"));
            Assert.NotNull(e.Str("lastTimestamp"));
            Assert.NotEmpty(e.Uid());
        });
    }

    [Fact]
    public async Task Run_DeletionWithGrace_TerminatesContainersThenRemovesAfterCappedGrace()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", "doomed"));
        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "doomed")!.Str("status", "phase") == "Running", Step));

        cluster.Store.Mutate(cluster.Pods, "default", "doomed", p =>
        {
            p.Metadata()["deletionTimestamp"] = "2026-11-23T20:00:30Z";
            p.Metadata()["deletionGracePeriodSeconds"] = 30;
            return true;
        });

        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "doomed")?.Arr("status", "containerStatuses")![0].Str("state", "terminated", "reason") == "Completed"));
        Assert.Contains(cluster.EventsFor("doomed"), e => e.Str("reason") == "Killing" && e.Str("message") == "Stopping container app");
        cluster.Fake!.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(100);
        Assert.NotNull(cluster.Get("default", "doomed"));
        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "doomed") is null, Step));
    }

    [Fact]
    public async Task Run_DeletionWithZeroGrace_RemovesImmediately()
    {
        await using var cluster = await SimCluster.StartAsync();
        cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", "quick"));
        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "quick")!.Str("status", "phase") == "Running", Step));

        cluster.Store.Mutate(cluster.Pods, "default", "quick", p =>
        {
            p.Metadata()["deletionTimestamp"] = "2026-11-23T20:00:30Z";
            p.Metadata()["deletionGracePeriodSeconds"] = 0;
            return true;
        });

        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "quick") is null));
    }

    [Fact]
    public async Task Run_PodCreatedWithNodeName_RunsThereWithoutScheduledEvent()
    {
        await using var cluster = await SimCluster.StartAsync();
        var pod = SimCluster.Pod("default", "pinned");
        pod.Set(["spec", "nodeName"], "kubesim-node-3");
        cluster.Store.Create(cluster.Pods, pod);

        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "pinned")!.Str("status", "phase") == "Running", Step));
        Assert.Equal("kubesim-node-3", cluster.Get("default", "pinned")!.Str("spec", "nodeName"));
        Assert.StartsWith("10.244.2.", cluster.Get("default", "pinned")!.Str("status", "podIP"));
        Assert.DoesNotContain(cluster.EventsFor("pinned"), e => e.Str("reason") == "Scheduled");
    }

    [Fact]
    public async Task Run_PodBoundToNodeThatAppearsLater_RunsOnceTheNodeExists()
    {
        await using var cluster = await SimCluster.StartAsync();
        var pod = SimCluster.Pod("default", "early");
        pod.Set(["spec", "nodeName"], "kubesim-node-4");
        cluster.Store.Create(cluster.Pods, pod);
        await Task.Delay(100);
        Assert.Null(cluster.Get("default", "early")!.Str("status", "phase"));

        cluster.Store.Create(cluster.Nodes, SimNodes.Create(4, SimCluster.Epoch)[3]);

        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "early")!.Str("status", "phase") == "Running", Step));
        Assert.StartsWith("10.244.3.", cluster.Get("default", "early")!.Str("status", "podIP"));
    }

    [Fact]
    public async Task Run_BurstOf2000Pods_AllScheduledAndRunningWithUniqueIps()
    {
        await using var cluster = await SimCluster.StartAsync(TimeProvider.System);
        const int count = 2000;
        for (var i = 0; i < count; i++)
        {
            cluster.Store.Create(cluster.Pods, SimCluster.Pod("load", $"pod-{i:D4}"));
        }

        bool AllRunning() => cluster.Store.All(cluster.Pods, "load").Count(p => p.Parse().Str("status", "phase") == "Running") == count;
        Assert.True(await cluster.WaitFor(AllRunning, seconds: 60));
        var ips = cluster.Store.All(cluster.Pods, "load").Select(p => p.Parse().Str("status", "podIP")).ToHashSet();
        Assert.Equal(count, ips.Count);
    }
}

public sealed class KubeletRestartTests
{
    [Fact]
    public async Task Run_NewKubeletOverRunningPods_AdoptsThemAndKeepsIpsUnique()
    {
        var cluster = await SimCluster.StartAsync(nodes: 1);
        for (var i = 0; i < 3; i++)
        {
            cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", $"old-{i}"));
        }

        Assert.True(await cluster.WaitFor(() => Enumerable.Range(0, 3).All(i => cluster.Get("default", $"old-{i}")!.Str("status", "phase") == "Running"), TimeSpan.FromMilliseconds(100)));
        await cluster.DisposeAsync();
        var before = cluster.Store.ResourceVersion;

        await using var second = new SimKubelet(cluster.Store, cluster.Registry, cluster.Time, new KubeletOptions());
        await second.StartAsync(CancellationToken.None);
        cluster.Store.Create(cluster.Pods, SimCluster.Pod("default", "new"));
        Assert.True(await cluster.WaitFor(() => cluster.Get("default", "new")!.Str("status", "phase") == "Running", TimeSpan.FromMilliseconds(100)));

        Assert.All(Enumerable.Range(0, 3), i => Assert.True(cluster.Store.Get(cluster.Pods, "default", $"old-{i}")!.ResourceVersion <= before));
        var ips = cluster.Store.All(cluster.Pods).Select(p => p.Parse().Str("status", "podIP")).ToList();
        Assert.True(4 == ips.Distinct().Count(), string.Join(",", ips));
    }
}
