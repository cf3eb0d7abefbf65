using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Porthole.KubeSim.Tests.Server;

public sealed class KubeApiWatchTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public KubeApiWatchTests(SimFixture sim)
    {
        _sim = sim;
    }

    private async Task<Kubernetes> NamespaceAsync(string ns)
    {
        var client = _sim.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return client;
    }

    private static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? labels = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = labels } };

    /// <summary>Reads watch events (one JSON object per line) from a raw HTTP watch.</summary>
    private sealed class RawWatch : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private RawWatch(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public static async Task<RawWatch> OpenAsync(HttpClient http, string url)
        {
            var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            return new RawWatch(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async Task<JsonObject?> NextAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await _reader.ReadLineAsync(cts.Token);
            return line is null ? null : JsonNode.Parse(line)!.AsObject();
        }

        public async Task<JsonObject> NextOfAsync(string type)
        {
            while (true)
            {
                var e = await NextAsync() ?? throw new InvalidOperationException($"stream ended before {type}");
                if ((string?)e["type"] == type)
                {
                    return e;
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static string Type(JsonObject e) => (string)e["type"]!;

    private static string Name(JsonObject e) => (string)e["object"]!["metadata"]!["name"]!;

    [Fact]
    public async Task Watch_FromExactVersion_StreamsLaterChangesInOrder()
    {
        using var client = await NamespaceAsync("w-exact");
        var before = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("before"), "w-exact");
        using var http = _sim.Http();
        await using var watch = await RawWatch.OpenAsync(http, $"/api/v1/namespaces/w-exact/configmaps?watch=true&resourceVersion={before.Metadata.ResourceVersion}");
        var b = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "w-exact");
        b.Data = new Dictionary<string, string> { ["x"] = "1" };
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(b, "b", "w-exact");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("b", "w-exact");

        var events = new[] { await watch.NextAsync(), await watch.NextAsync(), await watch.NextAsync() };
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => Type(e!)));
        Assert.All(events, e => Assert.Equal("b", Name(e!)));
        Assert.Equal(updated.Metadata.ResourceVersion, (string?)events[1]!["object"]!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Watch_WithoutVersion_SendsCurrentObjectsAsAddedFirst()
    {
        using var client = await NamespaceAsync("w-initial");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("one"), "w-initial");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("two"), "w-initial");
        using var http = _sim.Http();
        await using var watch = await RawWatch.OpenAsync(http, "/api/v1/namespaces/w-initial/configmaps?watch=1");
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        Assert.Equal(["one", "two"], new[] { Name(first!), Name(second!) }.Order());
        Assert.All(new[] { first, second }, e => Assert.Equal("ADDED", Type(e!)));
    }

    [Fact]
    public async Task Watch_LabelSelector_TurnsRelabelIntoAddedAndDeleted()
    {
        using var client = await NamespaceAsync("w-labels");
        var start = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("plain"), "w-labels");
        using var http = _sim.Http();
        await using var watch = await RawWatch.OpenAsync(http, $"/api/v1/namespaces/w-labels/configmaps?watch=true&labelSelector=app%3Dweb&resourceVersion={start.Metadata.ResourceVersion}");
        start.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        var labelled = await client.CoreV1.ReplaceNamespacedConfigMapAsync(start, "plain", "w-labels");
        labelled.Metadata.Labels = new Dictionary<string, string> { ["app"] = "db" };
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(labelled, "plain", "w-labels");

        Assert.Equal("ADDED", Type((await watch.NextAsync())!));
        Assert.Equal("DELETED", Type((await watch.NextAsync())!));
    }

    [Fact]
    public async Task Watch_VersionOlderThanHistory_SendsExpiredErrorEvent()
    {
        using var client = await NamespaceAsync("w-gone");
        var old = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("old"), "w-gone");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("newer"), "w-gone");
        _sim.Server.Store.Compact();
        using var http = _sim.Http();
        await using var watch = await RawWatch.OpenAsync(http, $"/api/v1/namespaces/w-gone/configmaps?watch=true&resourceVersion={old.Metadata.ResourceVersion}");
        var e = await watch.NextAsync();
        Assert.Equal("ERROR", Type(e!));
        Assert.Equal(410, (int)e!["object"]!["code"]!);
        Assert.Equal("Expired", (string?)e["object"]!["reason"]);
        Assert.StartsWith("too old resource version: ", (string?)e["object"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkWhenIdle()
    {
        using var client = await NamespaceAsync("w-bookmark");
        using var http = _sim.Http();
        await using var watch = await RawWatch.OpenAsync(http, "/api/v1/namespaces/w-bookmark/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=0");
        var bookmark = await watch.NextOfAsync("BOOKMARK");
        Assert.Equal("ConfigMap", (string?)bookmark["object"]!["kind"]);
        Assert.True(long.Parse((string)bookmark["object"]!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsSnapshotWithInitialEventsEndBookmark()
    {
        using var client = await NamespaceAsync("w-stream");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("snap"), "w-stream");
        using var http = _sim.Http();
        await using var watch = await RawWatch.OpenAsync(http, "/api/v1/namespaces/w-stream/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        var added = await watch.NextAsync();
        Assert.Equal(("ADDED", "snap"), (Type(added!), Name(added!)));
        var end = await watch.NextAsync();
        Assert.Equal("BOOKMARK", Type(end!));
        Assert.Equal("true", (string?)end!["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        using var client = await NamespaceAsync("w-timeout");
        using var http = _sim.Http();
        await using var watch = await RawWatch.OpenAsync(http, "/api/v1/namespaces/w-timeout/configmaps?watch=true&timeoutSeconds=1");
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Watch_WithOfficialClient_ReceivesTypedEvents()
    {
        using var client = await NamespaceAsync("w-client");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var create = Task.Run(async () =>
        {
            await Eventually.GetAsync(() => Task.FromResult(_sim.Server.Counters.OpenWatches), n => n > 0, what: "watch open");
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("typed"), "w-client");
        });
        WatchEventType eventType = default;
        string? name = null;
        await foreach (var (type, cm) in client.CoreV1.WatchListNamespacedConfigMapAsync("w-client", cancellationToken: cts.Token))
        {
            (eventType, name) = (type, cm.Metadata.Name);
            break;
        }

        await create;
        Assert.Equal(WatchEventType.Added, eventType);
        Assert.Equal("typed", name);
    }
}
