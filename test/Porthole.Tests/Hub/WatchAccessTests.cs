namespace Porthole.Tests.Hub;

/// <summary>
/// Auth mode none on cluster "sim-dev": the caller is that cluster's server identity, KubeSim's
/// sim-dev user (edit in team-a only), so its access reviews (SelfSubjectAccessReviews) decide
/// what it sees. Own fixture: one test revokes sim-dev's binding.
/// </summary>
public sealed class WatchAccessTests(HubFixture fixture) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Subscribe_NamespaceWithoutAccess_ForbiddenErrorAndNothingFromIt()
    {
        await using var client = await HubClient.ConnectAsync(fixture.Porthole.Url);
        await client.SubscribeAsync("watch:default", new { cluster = "sim-dev", version = "v1", resource = "pods", @namespace = "default" });
        await client.NextErrorAsync("watch:default", "forbidden");

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

        await using (await fixture.RevokeAsync("team-a", "sim-dev-edit"))
        {
            Assert.Contains("revoked", await client.NextErrorAsync("watch:cm", "forbidden"), StringComparison.Ordinal);
        }
    }
}
