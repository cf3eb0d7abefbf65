using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Area 5: watches through the client's typed WatchList methods.</summary>
public sealed class WatchTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public WatchTests(SimFixture sim)
    {
        _sim = sim;
    }

    private static V1ConfigMap ConfigMap(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    private static CancellationTokenSource Deadline() => new(TimeSpan.FromSeconds(60));

    [Fact]
    public async Task WatchList_AllowWatchBookmarks_DeliversBookmarkWithResourceVersion()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "wbm");
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("seen"), ns);
        using var cts = Deadline();
        var types = new List<WatchEventType>();
        V1ConfigMap? bookmark = null;
        await foreach (var (type, cm) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            types.Add(type);
            if (type == WatchEventType.Bookmark)
            {
                bookmark = cm;
                break;
            }
        }

        Assert.Equal([WatchEventType.Bookmark], types);
        Assert.NotNull(bookmark);
        Assert.True(long.Parse(bookmark.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WatchList_FieldSelectorMetadataName_OnlyThatObject()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "wfs");
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("other"), ns);
        var target = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("target"), ns);
        target.Data = new Dictionary<string, string> { ["k"] = "v" };
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(target, "target", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("other", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("target", ns);

        using var cts = Deadline();
        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, cm) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=target", resourceVersion: start, cancellationToken: cts.Token))
        {
            seen.Add((type, cm.Metadata.Name));
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "target"), (WatchEventType.Modified, "target"), (WatchEventType.Deleted, "target")], seen);
    }

    [Fact]
    public async Task WatchList_FromListResourceVersion_ResumesWithoutReplayingTheList()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "wres");
        var a = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Contains(list.Items, i => i.Metadata.Name == "a");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), ns);
        a.Data = new Dictionary<string, string> { ["k"] = "v" };
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(a, "a", ns);

        using var cts = Deadline();
        var seen = new List<(WatchEventType, string, string)>();
        await foreach (var (type, cm) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            seen.Add((type, cm.Metadata.Name, cm.Metadata.ResourceVersion));
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal((WatchEventType.Added, "b"), (seen[0].Item1, seen[0].Item2));
        Assert.Equal((WatchEventType.Modified, "a", updated.Metadata.ResourceVersion), seen[1]);
    }

    [Fact]
    public async Task WatchListPods_FromListVersion_SeesKubeletTakePodToRunningInOrder()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "wpod");
        var start = (await client.CoreV1.ListNamespacedPodAsync(ns)).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedPodAsync(E2e.Pod("watched"), ns);

        using var cts = Deadline();
        var seen = new List<(WatchEventType Type, string? Phase, long Version)>();
        await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: start, cancellationToken: cts.Token))
        {
            seen.Add((type, pod.Status?.Phase, long.Parse(pod.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)));
            if (E2e.IsReady(pod))
            {
                break;
            }
        }

        Assert.Equal((WatchEventType.Added, "Pending"), (seen[0].Type, seen[0].Phase));
        Assert.All(seen.Skip(1), e => Assert.Equal(WatchEventType.Modified, e.Type));
        Assert.Equal("Running", seen[^1].Phase);
        Assert.Equal(seen.Select(e => e.Version).Order(), seen.Select(e => e.Version));
        Assert.Equal(seen.Count, seen.Select(e => e.Version).Distinct().Count());
    }
}
