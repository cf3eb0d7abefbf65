using System.Text.Json;

namespace Porthole.Tests.Hub;

/// <summary>
/// The network between Porthole and KubeSim is cut (a real TCP proxy resets every connection),
/// objects change meanwhile, and KubeSim's watch history is compacted: on the way back the
/// shared watch must get 410 Expired, relist and send exactly the differences.
/// </summary>
public sealed class WatchRecoveryTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Reconnect_After410UnderChurn_ClientStateEqualsServerWithoutDuplicates()
    {
        var ns = await fixture.NamespaceAsync();
        for (var i = 0; i < 10; i++)
        {
            await fixture.CreateConfigMapAsync(ns, $"cm-{i}");
        }

        await using var a = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await using var b = await HubClient.ConnectAsync(fixture.Porthole.Url);
        var payload = new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns };
        await a.SubscribeAsync("watch:cm", payload);
        await b.SubscribeAsync("watch:cm", payload);
        var stateA = new ClientState();
        var stateB = new ClientState();
        stateA.Apply((await a.NextOnAsync("watch:cm")).GetProperty("payload"));
        stateB.Apply((await b.NextOnAsync("watch:cm")).GetProperty("payload"));

        // Live churn first, then the cut with churn the watch cannot see.
        await fixture.UpdateConfigMapAsync(ns, "cm-0", "live");
        fixture.Proxy.Cut();
        var unreachable = await a.NextAsync(f => IsStatus(f, "unreachable"));
        Assert.Contains("message", unreachable.GetProperty("payload").EnumerateObject().Select(p => p.Name));
        for (var i = 1; i < 5; i++)
        {
            await fixture.UpdateConfigMapAsync(ns, $"cm-{i}", "while-cut");
        }

        await fixture.DeleteConfigMapAsync(ns, "cm-5");
        await fixture.DeleteConfigMapAsync(ns, "cm-6");
        await fixture.CreateConfigMapAsync(ns, "new-1");
        await fixture.CreateConfigMapAsync(ns, "new-2");
        fixture.Sim.Store.Compact(); // every resume from before now gets 410 Expired
        fixture.Proxy.Restore();

        await a.NextAsync(f => IsStatus(f, "connected"));
        await b.NextAsync(f => IsStatus(f, "connected"));
        await fixture.CreateConfigMapAsync(ns, "after");
        var server = await fixture.ConfigMapVersionsAsync(ns);
        foreach (var (client, state) in new[] { (a, stateA), (b, stateB) })
        {
            while (!state.Matches(server))
            {
                var frame = await client.NextOnAsync("watch:cm");
                if (frame.GetProperty("type").GetString() == "resource_watch")
                {
                    state.Apply(frame.GetProperty("payload"));
                }
            }

            Assert.Equal(0, state.Duplicates);
        }

        Assert.Contains(fixture.Porthole.Logs.Lines, l => l.Message.Contains("(410), relisting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnect_AfterDropWithinHistory_ResumesWithoutRelist()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.CreateConfigMapAsync(ns, "x");
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:cm", new { cluster = "sim-admin", version = "v1", resource = "configmaps", @namespace = ns });
        var state = new ClientState();
        state.Apply((await client.NextOnAsync("watch:cm")).GetProperty("payload"));

        fixture.Proxy.Cut();
        await client.NextAsync(f => IsStatus(f, "unreachable"));
        await fixture.UpdateConfigMapAsync(ns, "x", "during");
        await fixture.CreateConfigMapAsync(ns, "y");
        fixture.Proxy.Restore();
        await client.NextAsync(f => IsStatus(f, "connected"));

        var server = await fixture.ConfigMapVersionsAsync(ns);
        while (!state.Matches(server))
        {
            state.Apply((await client.NextAsync(f => f.GetProperty("type").GetString() == "resource_watch" && !IsStatus(f, null))).GetProperty("payload"));
        }

        Assert.Equal(0, state.Duplicates);
    }

    private static bool IsStatus(JsonElement frame, string? status) =>
        frame.GetProperty("type").GetString() == "resource_watch"
        && frame.GetProperty("payload").GetProperty("type").GetString() == "STATUS"
        && (status is null || frame.GetProperty("payload").GetProperty("status").GetString() == status);

    /// <summary>What a client holds after applying the frames: name → resourceVersion; counts events that change nothing.</summary>
    private sealed class ClientState
    {
        private readonly Dictionary<string, string> _objects = [];

        public int Duplicates { get; private set; }

        public void Apply(JsonElement payload)
        {
            foreach (var e in HubClient.Flatten(payload))
            {
                ApplyOne(e);
            }
        }

        private void ApplyOne(JsonElement payload)
        {
            var type = payload.GetProperty("type").GetString();
            if (type == "STATUS")
            {
                return;
            }

            if (type == "SNAPSHOT")
            {
                foreach (var o in payload.GetProperty("objects").EnumerateArray())
                {
                    _objects[Name(o)] = Version(o);
                }

                return;
            }

            var obj = payload.GetProperty("object");
            var name = Name(obj);
            var rv = payload.GetProperty("resourceVersion").GetString()!;
            Assert.Equal(Version(obj), rv);
            switch (type)
            {
                case "ADDED" when _objects.ContainsKey(name):
                case "MODIFIED" when !_objects.TryGetValue(name, out var had) || had == rv:
                case "DELETED" when !_objects.ContainsKey(name):
                    Duplicates++;
                    break;
            }

            if (type == "DELETED")
            {
                _objects.Remove(name);
            }
            else
            {
                _objects[name] = rv;
            }
        }

        public bool Matches(Dictionary<string, string> server) =>
            server.Count == _objects.Count && server.All(kv => _objects.TryGetValue(kv.Key, out var rv) && rv == kv.Value);

        private static string Name(JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString()!;

        private static string Version(JsonElement o) => o.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
    }
}
