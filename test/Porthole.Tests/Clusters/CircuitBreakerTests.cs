using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Porthole.Clusters;
using Porthole.Hosting;
using Porthole.Terminal;
using static Porthole.Tests.Apis.ResourceClient;

namespace Porthole.Tests.Clusters;

/// <summary>
/// The per-cluster circuit breaker over real sockets: KubeSim's listener fault takes its listener
/// away (connections refused) and brings it back on the same port.
/// </summary>
public sealed partial class CircuitBreakerTests(KubeSimFixture kube) : IClassFixture<KubeSimFixture>
{
    private static readonly PortholeOptions Breaker = new() { BreakerFailures = 3, BreakerCooldown = TimeSpan.FromSeconds(3) };

    [Fact]
    public async Task Cluster_ListenerGoneThenBack_CircuitOpensRefusesWithoutCallsThenRecovers()
    {
        await using var host = await kube.StartPortholeAsync(Breaker);
        using var client = host.Client();
        var cluster = host.App.Services.GetRequiredService<ClusterRegistry>().Find("sim-admin")!;
        var pods = Url("sim-admin", "api/v1/namespaces/default/pods");
        using (var up = await client.GetAsync(pods))
        {
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        }

        await kube.Sim.Faults.StopListenerAsync();

        // Calls fail (502) until the breaker has seen enough of them; then it answers 503 by itself.
        var statuses = new List<HttpStatusCode>();
        await Apis.ClustersApiTests.Eventually(() =>
        {
            using var down = client.GetAsync(pods).GetAwaiter().GetResult();
            statuses.Add(down.StatusCode);
            return down.StatusCode == HttpStatusCode.ServiceUnavailable;
        });
        Assert.Contains(HttpStatusCode.BadGateway, statuses);
        Assert.Equal(CircuitState.Open, cluster.Circuit);

        using var refused = await client.GetAsync(pods);
        var problem = await ProblemJson.AssertProblemAsync(refused, 503, "cluster_unavailable");
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("porthole_cluster_circuit_state{cluster=\"sim-admin\"} 1", metrics, StringComparison.Ordinal);
        Assert.True(Counter(metrics, "porthole_kubernetes_errors_total{cluster=\"sim-admin\",reason=\"circuit_open\"}") >= 1);

        // While open, requests cost no connection attempt: at most one probe per cooldown.
        var transport = "porthole_kubernetes_errors_total{cluster=\"sim-admin\",reason=\"transport\"}";
        var before = Counter(metrics, transport);
        var refusedByBreaker = 0;
        for (var i = 0; i < 5; i++)
        {
            using var more = await client.GetAsync(pods);
            refusedByBreaker += more.StatusCode == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        }

        Assert.True(refusedByBreaker >= 4, $"{refusedByBreaker} of 5 refused by the open circuit");
        Assert.True(Counter(await client.GetStringAsync("/metrics"), transport) - before <= 1);

        await kube.Sim.Faults.StartListenerAsync();

        // After the cooldown one probe goes through, succeeds and closes the circuit.
        await Apis.ClustersApiTests.Eventually(() =>
        {
            using var back = client.GetAsync(pods).GetAwaiter().GetResult();
            return back.StatusCode == HttpStatusCode.OK;
        });
        Assert.Equal(CircuitState.Closed, cluster.Circuit);
        Assert.Contains("porthole_cluster_circuit_state{cluster=\"sim-admin\"} 0", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("sim-admin: circuit opened", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("sim-admin: circuit closed", StringComparison.Ordinal));
        Assert.Equal("cluster_unavailable", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Terminal_CircuitOpen_RefusedWithoutExec()
    {
        await using var host = await kube.StartPortholeAsync(Breaker with { BreakerCooldown = TimeSpan.FromMinutes(10) });
        using var client = host.Client();
        var cluster = host.App.Services.GetRequiredService<ClusterRegistry>().Find("sim-admin")!;
        var pods = Url("sim-admin", "api/v1/namespaces/default/pods");
        await kube.Sim.Faults.StopListenerAsync();
        try
        {
            await Apis.ClustersApiTests.Eventually(() =>
            {
                using var down = client.GetAsync(pods).GetAwaiter().GetResult();
                return down.StatusCode == HttpStatusCode.ServiceUnavailable;
            });
            Assert.Equal(CircuitState.Open, cluster.Circuit);

            var start = new TerminalStart("sim-admin", new TerminalUser("sim-admin", null, KubeCredential.Server), "default", "web-1", "nginx", null, 80, 24, Guid.NewGuid().ToString("N"));
            var refused = await Assert.ThrowsAsync<TerminalStartException>(() => host.App.Services.GetRequiredService<TerminalExecutor>().StartAsync(start, CancellationToken.None));

            Assert.Equal(503, refused.Status);
            Assert.Contains("circuit open", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await kube.Sim.Faults.StartListenerAsync();
        }
    }

    private static double Counter(string metrics, string series)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
