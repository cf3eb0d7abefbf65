using System.Net.Http.Json;

namespace Porthole.Tests.Hub;

/// <summary>
/// Cluster "sim-dev" is KubeSim's sim-dev user (edit in team-a only): its watches are made as
/// that user, so RBAC decides what it sees. Own fixture: one test revokes sim-dev's binding.
/// </summary>
public sealed class WatchAccessTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Subscribe_NamespaceWithoutAccess_ForbiddenErrorAndNothingFromIt()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:default", new { cluster = "sim-dev", version = "v1", resource = "pods", @namespace = "default" });
        var error = await client.NextOnAsync("watch:default");
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("forbidden", error.GetProperty("payload").GetProperty("code").GetString());

        // The same connection still serves what the user may see.
        await client.SubscribeAsync("watch:team", new { cluster = "sim-dev", version = "v1", resource = "pods", @namespace = "team-a" });
        var snapshot = (await client.NextOnAsync("watch:team")).GetProperty("payload");
        Assert.All(snapshot.GetProperty("objects").EnumerateArray(), o => Assert.Equal("team-a", o.GetProperty("metadata").GetProperty("namespace").GetString()));
        Assert.NotEmpty(snapshot.GetProperty("objects").EnumerateArray()); // the demo seed runs workloads in team-a

        // Pods created in default never reach the forbidden channel.
        await fixture.CreatePodAsync("default", "p-" + Guid.NewGuid().ToString("n")[..6], new() { ["app"] = "x" }, "main");
        await client.SendAsync("ping");
        await client.NextAsync(f => f.GetProperty("type").GetString() == "pong");
        Assert.DoesNotContain(client.Drain(), f => f.TryGetProperty("channel", out var c) && c.GetString() == "watch:default");
    }

    [Fact]
    public async Task Recheck_AccessRevoked_ChannelEndsWithForbidden()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:cm", new { cluster = "sim-dev", version = "v1", resource = "configmaps", @namespace = "team-a" });
        Assert.Equal("SNAPSHOT", (await client.NextOnAsync("watch:cm")).GetProperty("payload").GetProperty("type").GetString());

        var binding = await fixture.Admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/sim-dev-edit");
        (await fixture.Admin.DeleteAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/sim-dev-edit")).EnsureSuccessStatusCode();
        try
        {
            var error = await client.NextOnAsync("watch:cm");
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal("forbidden", error.GetProperty("payload").GetProperty("code").GetString());
            Assert.Contains("revoked", error.GetProperty("payload").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            binding!["metadata"]!.AsObject().Remove("resourceVersion");
            binding["metadata"]!.AsObject().Remove("uid");
            (await fixture.Admin.PostAsJsonAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", binding)).EnsureSuccessStatusCode();
        }
    }
}
