using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Storage;

namespace Porthole.KubeSim.Tests.Kubelet;

/// <summary>A store with simulated nodes and a running kubelet, for tests.</summary>
internal sealed class SimCluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);

    private SimCluster(TimeProvider time, KubeletOptions options, int nodes)
    {
        Time = time;
        Store = new ObjectStore(time);
        Registry = new ResourceRegistry();
        Pods = Registry.Find("", "v1", "pods")!;
        Nodes = Registry.Find("", "v1", "nodes")!;
        Events = Registry.Find("", "v1", "events")!;
        foreach (var node in SimNodes.Create(nodes, time.GetUtcNow()))
        {
            Store.Create(Nodes, node);
        }

        Kubelet = new SimKubelet(Store, Registry, time, options);
    }

    public TimeProvider Time { get; }

    public FakeTimeProvider? Fake => Time as FakeTimeProvider;

    public ObjectStore Store { get; }

    public ResourceRegistry Registry { get; }

    public ResourceType Pods { get; }

    public ResourceType Nodes { get; }

    public ResourceType Events { get; }

    public SimKubelet Kubelet { get; }

    public static async Task<SimCluster> StartAsync(TimeProvider? time = null, KubeletOptions? options = null, int nodes = 3, Action<SimCluster>? before = null)
    {
        var cluster = new SimCluster(time ?? new FakeTimeProvider(Epoch), options ?? new KubeletOptions(), nodes);
        before?.Invoke(cluster);
        await cluster.Kubelet.StartAsync(CancellationToken.None);
        return cluster;
    }

    public static JsonObject Pod(string ns, string name, params string[] containers)
    {
        var list = new JsonArray();
        foreach (var c in containers.Length == 0 ? ["app"] : containers)
        {
            list.Add(new JsonObject { ["name"] = c, ["image"] = c == "app" ? "nginx:1.27" : "busybox" });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = Guid.NewGuid().ToString(),
                ["creationTimestamp"] = "2026-11-23T20:00:00Z",
            },
            ["spec"] = new JsonObject { ["containers"] = list, ["terminationGracePeriodSeconds"] = 30 },
        };
    }

    public JsonObject? Get(string ns, string name) => Store.Get(Pods, ns, name)?.Parse();

    public List<JsonObject> EventsFor(string name) =>
        [.. Store.All(Events).Select(e => e.Parse()).Where(e => e.Str("involvedObject", "name") == name)];

    /// <summary>Polls until the condition holds, advancing fake time by <paramref name="step"/> each round.</summary>
    public async Task<bool> WaitFor(Func<bool> condition, TimeSpan? step = null, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            if (step is { } s)
            {
                Fake?.Advance(s);
            }

            await Task.Delay(10);
        }

        return condition();
    }

    public async ValueTask DisposeAsync() => await Kubelet.DisposeAsync();
}
