using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Porthole.Clusters.Caching;

namespace Porthole.Tests.Hub;

/// <summary>
/// The hub's channels for a user with several groups where only one group, not the first, is
/// bound to a role (ClusterRole edit in a fresh namespace): a terminal (the exec WebSocket
/// upgrade and the access checks before it), a log stream and a watch made as the user (secrets,
/// which the server may not read) each work only if every group reached Kubernetes on its own
/// Impersonate-Group line (kubernetes/kubernetes#94683); a shared watch asks a
/// SubjectAccessReview with the groups in its body.
/// Cluster "sim-porthole" is Porthole running as KubeSim's sim-porthole, which may impersonate.
/// </summary>
public sealed class ImpersonatedGroupsHubTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    private const string Cluster = "sim-porthole";
    private const string BoundGroup = "pod operators (team a)";

    private static readonly Dictionary<string, string> Erin = HubFixture.AsUser("erin", "no-rights", BoundGroup);

    /// <summary>A namespace where <see cref="BoundGroup"/> may edit, with a running pod web-1 (container nginx).</summary>
    private async Task<string> NamespaceWithPodAsync()
    {
        var ns = await fixture.NamespaceAsync();
        await KubeSimFixture.BindGroupAsync(fixture.Admin, ns, BoundGroup);
        await fixture.RunningPodAsync(ns, "web-1", new() { ["app"] = "web" }, "nginx");
        return ns;
    }

    [Fact]
    public async Task Terminal_UserWhoseSecondGroupMayExec_ShellRuns()
    {
        var ns = await NamespaceWithPodAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: Erin);
        await client.SubscribeAsync("terminal:g", new { cluster = Cluster, @namespace = ns, pod = "web-1", container = "nginx", cols = 80, rows = 24 });
        await client.SendAsync("terminal_input", "terminal:g", new { data = "echo group-$((6*7))\n" });

        var output = new StringBuilder();
        while (!output.ToString().Contains("group-42", StringComparison.Ordinal))
        {
            var frame = await client.NextOnAsync("terminal:g");
            Assert.True(frame.GetProperty("type").GetString() == "terminal_output", frame.ToString());
            output.Append(frame.GetProperty("payload").TryGetProperty("data", out var data) ? data.GetString() : "");
        }
    }

    [Fact]
    public async Task Logs_UserWhoseSecondGroupMayReadLogs_LinesArrive()
    {
        var ns = await NamespaceWithPodAsync();
        await HubFixture.WaitForAsync(() => fixture.Admin.GetStringAsync($"api/v1/namespaces/{ns}/pods/web-1/log").GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3, "three log lines");
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: Erin);
        await client.SubscribeAsync("logs:g", new { cluster = Cluster, @namespace = ns, pod = "web-1", container = "nginx", tailLines = 3 });

        var lines = 0;
        while (true)
        {
            var frame = await client.NextOnAsync("logs:g");
            Assert.True(frame.GetProperty("type").GetString() == "log_stream", frame.ToString());
            var payload = frame.GetProperty("payload");
            lines += payload.GetProperty("lines").GetArrayLength();
            if (payload.TryGetProperty("end", out var end) && end.GetBoolean())
            {
                break;
            }
        }

        Assert.Equal(3, lines);
    }

    [Fact]
    public async Task Watch_UserWhoseSecondGroupMayList_Snapshot()
    {
        var ns = await NamespaceWithPodAsync();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: Erin);
        await client.SubscribeAsync("watch:g", new { cluster = Cluster, version = "v1", resource = "pods", @namespace = ns });

        var snapshot = await client.NextEventAsync("watch:g");

        Assert.Equal("SNAPSHOT", snapshot.GetProperty("type").GetString());
        Assert.Equal("web-1", Assert.Single(snapshot.GetProperty("objects").EnumerateArray()).GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Watch_SecretsTheServerMayNotRead_WatchedAsTheUserWhoseSecondGroupMayList()
    {
        var ns = await NamespaceWithPodAsync();
        (await fixture.Admin.PostAsJsonAsync($"api/v1/namespaces/{ns}/secrets", new { apiVersion = "v1", kind = "Secret", metadata = new { name = "s1" }, stringData = new { k = "v" } })).EnsureSuccessStatusCode();
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url, headers: Erin);
        await client.SubscribeAsync("watch:s", new { cluster = Cluster, version = "v1", resource = "secrets", @namespace = ns });

        var snapshot = await client.NextEventAsync("watch:s");

        Assert.True(snapshot.GetProperty("type").GetString() == "SNAPSHOT", snapshot.ToString());
        Assert.Equal("s1", Assert.Single(snapshot.GetProperty("objects").EnumerateArray()).GetProperty("metadata").GetProperty("name").GetString());
        var cache = fixture.Porthole.App.Services.GetRequiredService<WatchCache>();
        Assert.Contains(cache.Upstreams, u => u.Key.Resource == "secrets" && u.Key.Namespace == ns && u.Owner.StartsWith("user:4:erin|", StringComparison.Ordinal));
    }
}
