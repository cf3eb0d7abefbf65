using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Porthole.Tests.Hub;

public sealed partial class LogsChannelTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Subscribe_PodTailNoFollow_TailLinesThenEnd()
    {
        var ns = await WebPodsAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("logs:web", new { cluster = "sim-admin", @namespace = ns, pod = "web-1", container = "nginx", tailLines = 5 });
        var lines = await ReadUntilEndAsync(client, "logs:web");
        Assert.Equal(5, lines.Count);
        Assert.All(lines, l => Assert.Equal(("web-1", "nginx"), (l.GetProperty("pod").GetString(), l.GetProperty("container").GetString())));
        var seqs = lines.Select(Seq).ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], 5).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task Subscribe_PodWithoutContainer_EveryContainerTagged()
    {
        var ns = await WebPodsAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("logs:web2", new { cluster = "sim-admin", @namespace = ns, pod = "web-2", tailLines = 2, timestamps = true });
        var lines = await ReadUntilEndAsync(client, "logs:web2");
        Assert.Equal(["log-shipper", "nginx"], lines.Select(l => l.GetProperty("container").GetString()).Distinct().Order());
        Assert.All(lines, l => Assert.True(DateTimeOffset.TryParse(l.GetProperty("time").GetString(), out _)));
    }

    [Fact]
    public async Task Subscribe_Filter_OnlyMatchingLines()
    {
        var ns = await WebPodsAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("logs:f", new { cluster = "sim-admin", @namespace = ns, pod = "web-1", container = "nginx", tailLines = 200, filter = "/seq=\\d*7 /" });
        var lines = await ReadUntilEndAsync(client, "logs:f");
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.EndsWith("7", Seq(l).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subscribe_MissingPod_NotFoundError()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("logs:x", new { cluster = "sim-admin", @namespace = "default", pod = "nope" });
        var error = await client.NextOnAsync("logs:x");
        Assert.Equal("not_found", error.GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Subscribe_WorkloadFollow_NewPodsJoinWithoutLoss()
    {
        var ns = await fixture.NamespaceAsync();
        var app = new Dictionary<string, string> { ["app"] = "shop" };
        await fixture.CreatePodAsync(ns, "shop-1", app, "web");
        await fixture.CreatePodAsync(ns, "other", new() { ["app"] = "other" }, "web");
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("logs:shop", new { cluster = "sim-admin", @namespace = ns, labelSelector = "app=shop", follow = true });

        var seen = new Dictionary<string, List<long>>();
        async Task ReadUntilAsync(Func<bool> done)
        {
            while (!done())
            {
                var frame = await client.NextOnAsync("logs:shop");
                Assert.Equal("log_stream", frame.GetProperty("type").GetString());
                foreach (var line in frame.GetProperty("payload").GetProperty("lines").EnumerateArray())
                {
                    var key = line.GetProperty("pod").GetString() + "/" + line.GetProperty("container").GetString();
                    (seen.TryGetValue(key, out var list) ? list : seen[key] = []).Add(Seq(line));
                }
            }
        }

        await ReadUntilAsync(() => seen.TryGetValue("shop-1/web", out var l) && l.Count >= 5);
        await fixture.CreatePodAsync(ns, "shop-2", app, "web", "sidecar");
        await ReadUntilAsync(() => seen.ContainsKey("shop-2/web") && seen.ContainsKey("shop-2/sidecar") && seen["shop-2/web"].Count >= 5);

        Assert.DoesNotContain(seen.Keys, k => k.StartsWith("other/", StringComparison.Ordinal));
        Assert.Equal(1, seen["shop-2/web"][0]); // a pod that joins later is read from its first line
        foreach (var (_, seqs) in seen)
        {
            Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Count).Select(i => (long)i), seqs); // no gap, no repeat
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Subscribe_DeploymentScaledUp_NewPodJoinsFollowWithoutLoss(bool byOwner)
    {
        var ns = await fixture.NamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "shop" };
        var created = await fixture.Admin.PostAsJsonAsync($"apis/apps/v1/namespaces/{ns}/deployments", new
        {
            apiVersion = "apps/v1",
            kind = "Deployment",
            metadata = new { name = "shop" },
            spec = new
            {
                replicas = 1,
                selector = new { matchLabels = labels, matchExpressions = new[] { new { key = "tier", @operator = "NotIn", values = new[] { "db" } } } },
                template = new { metadata = new { labels }, spec = new { containers = new[] { new { name = "web", image = "nginx:1.27" } } } },
            },
        });
        created.EnsureSuccessStatusCode();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("logs:deploy", byOwner
            ? new { cluster = "sim-admin", @namespace = ns, owner = new { kind = "Deployment", name = "shop" }, follow = true }
            : (object)new { cluster = "sim-admin", @namespace = ns, labelSelector = "app=shop", follow = true });

        var seen = new Dictionary<string, List<long>>();
        async Task ReadUntilAsync(Func<bool> done)
        {
            while (!done())
            {
                var frame = await client.NextOnAsync("logs:deploy");
                foreach (var line in frame.GetProperty("payload").GetProperty("lines").EnumerateArray())
                {
                    var pod = line.GetProperty("pod").GetString()!;
                    (seen.TryGetValue(pod, out var list) ? list : seen[pod] = []).Add(Seq(line));
                }
            }
        }

        await ReadUntilAsync(() => seen.Values.Any(l => l.Count >= 3));
        var first = Assert.Single(seen.Keys);
        using var scale = new StringContent("{\"spec\":{\"replicas\":2}}", System.Text.Encoding.UTF8, "application/merge-patch+json");
        (await fixture.Admin.PatchAsync($"apis/apps/v1/namespaces/{ns}/deployments/shop", scale)).EnsureSuccessStatusCode();
        await ReadUntilAsync(() => seen.Count == 2 && seen.Values.All(l => l.Count >= 3));

        Assert.All(seen.Keys, pod => Assert.StartsWith("shop-", pod, StringComparison.Ordinal));
        foreach (var (_, seqs) in seen)
        {
            Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Count).Select(i => (long)i), seqs);
        }

        Assert.Equal(1, seen.Single(kv => kv.Key != first).Value[0]); // the pod the scale-up made is read from its first line
    }

    [Theory]
    [InlineData("Deployment", "ghost", "not_found")]
    [InlineData("CronJob", "shop", "bad_payload")]
    [InlineData("deployment", "shop", "bad_payload")]
    [InlineData("Deployment", "", "bad_payload")]
    [InlineData("Deployment", "Not_A_Name", "bad_payload")]
    public async Task Subscribe_OwnerMissingOrUnknownKind_Error(string kind, string name, string code)
    {
        var ns = await fixture.NamespaceAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("logs:owner", new { cluster = "sim-admin", @namespace = ns, owner = new { kind, name }, follow = true });
        var error = await client.NextOnAsync("logs:owner");
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("payload").GetProperty("code").GetString());
    }

    /// <summary>A namespace with running pods web-1 (nginx) and web-2 (nginx, log-shipper) that have logged at least 20 and 2 lines.</summary>
    private async Task<string> WebPodsAsync()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.RunningPodAsync(ns, "web-1", new() { ["app"] = "web" }, "nginx");
        await fixture.RunningPodAsync(ns, "web-2", new() { ["app"] = "web" }, "nginx", "log-shipper");
        await LoggedAsync(ns, "web-1", "nginx", lines: 20); // enough for tails and for seq 7 and 17
        await LoggedAsync(ns, "web-2", "nginx", lines: 2);
        await LoggedAsync(ns, "web-2", "log-shipper", lines: 2);
        return ns;
    }

    /// <summary>Waits until KubeSim has logged at least <paramref name="lines"/> lines for the container.</summary>
    private async Task LoggedAsync(string ns, string pod, string container, int lines)
    {
        var deadline = DateTime.UtcNow + HubClient.Deadline;
        while ((await fixture.Admin.GetStringAsync($"api/v1/namespaces/{ns}/pods/{pod}/log?container={container}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < lines)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{pod}/{container} did not log {lines} lines");
            }

            await Task.Delay(50); // polls a condition, bounded by the deadline
        }
    }

    private static async Task<List<JsonElement>> ReadUntilEndAsync(HubClient client, string channel)
    {
        var lines = new List<JsonElement>();
        while (true)
        {
            var frame = await client.NextOnAsync(channel);
            Assert.Equal("log_stream", frame.GetProperty("type").GetString());
            var payload = frame.GetProperty("payload");
            lines.AddRange(payload.GetProperty("lines").EnumerateArray());
            if (payload.TryGetProperty("end", out var end) && end.GetBoolean())
            {
                return lines;
            }
        }
    }

    private static long Seq(JsonElement line) => long.Parse(SeqPattern().Match(line.GetProperty("text").GetString()!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"seq=(\d+)")]
    private static partial Regex SeqPattern();
}
