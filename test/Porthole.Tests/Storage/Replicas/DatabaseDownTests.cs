using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Porthole.Tests.Storage.Replicas.TwoReplicasTests;

namespace Porthole.Tests.Storage.Replicas;

/// <summary>
/// PostgreSQL stopped under two running replicas, then started again: they fail closed where the
/// store is needed, keep serving Kubernetes reads, report Degraded, queue the audit entries of
/// what happened meanwhile, and store them, and reconnect, once the database is back.
/// </summary>
public sealed class DatabaseDownTests(ReplicaPair pair) : IClassFixture<ReplicaPair>
{
    [Fact]
    public async Task DatabaseStoppedThenStarted_FailsClosedReadsWorkQueuedAuditFlushedAndReconnects()
    {
        using var ops1 = await pair.SignInAsync(pair.UrlA, "ops1");
        using var alice = await pair.SignInAsync(pair.UrlB, "alice", "alice-password");
        using var probes = new HttpClient();
        var terminal = await BindAsync(ops1.Http, await NewShellIdAsync(ops1.Http));
        Assert.StartsWith("a[", await PollAsync(ops1.Http, terminal), StringComparison.Ordinal);

        await pair.Postgres.StopAsync();
        try
        {
            foreach (var url in new[] { pair.UrlA, pair.UrlB })
            {
                await WaitForAsync(async () => await probes.GetStringAsync(new Uri(url, "/readyz")) == "Degraded", $"{url} /readyz to say Degraded");
            }

            using (var login = await new Auth.AuthTestClient(pair.UrlA).LoginAsync("root", "admin-password"))
            {
                await ProblemJson.AssertProblemAsync(login, 503, "store_unavailable");
                Assert.NotNull(login.Headers.RetryAfter);
            }

            using (var put = await ops1.Http.PutAsJsonAsync("/api/v1/me/preferences", new { theme = "dark" }))
            {
                await ProblemJson.AssertProblemAsync(put, 503, "store_unavailable");
            }

            using (var create = await ops1.Http.PostAsJsonAsync("/api/v1/clusters/sim-porthole/k8s/api/v1/namespaces/default/configmaps",
                new { apiVersion = "v1", kind = "ConfigMap", metadata = new { name = "while-down" } }))
            {
                await ProblemJson.AssertProblemAsync(create, 503, "store_unavailable");
            }

            using (var logout = await alice.Http.PostAsync("/api/v1/auth/logout", null))
            {
                await ProblemJson.AssertProblemAsync(logout, 503, "store_unavailable");
            }

            using (var shell = await ops1.Http.GetAsync(ReplicaPair.Shell))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, shell.StatusCode);
            }

            // Reads of Kubernetes and signed-in sessions keep working.
            using (var pods = await ops1.Http.GetAsync("/api/v1/clusters/sim-porthole/k8s/api/v1/namespaces/default/pods"))
            {
                Assert.Equal(HttpStatusCode.OK, pods.StatusCode);
            }

            using (var me = await alice.Http.GetAsync("/api/v1/auth/me"))
            {
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }

            Assert.Equal(0, Metric(await probes.GetStringAsync(new Uri(pair.UrlA, "/metrics")), "porthole_store_up{provider=\"postgresql\"}"));

            // The running terminal ends now: its audit entry waits in the queue.
            await SendAsync(ops1.Http, terminal, """{"Op":"stdin","Data":"echo down-$((5*5)); exit\r","SessionID":"","Rows":0,"Cols":0}""");
            string frame;
            do
            {
                frame = await PollAsync(ops1.Http, terminal);
            }
            while (!frame.StartsWith('c'));
            Assert.Equal("c[1,\"process exited\"]\n", frame);
            await WaitForAsync(async () => Metric(await probes.GetStringAsync(new Uri(pair.UrlA, "/metrics")), "porthole_audit_queued") >= 1, "the exec audit entry to be queued");
        }
        finally
        {
            await pair.Postgres.StartAsync();
        }

        foreach (var url in new[] { pair.UrlA, pair.UrlB })
        {
            await WaitForAsync(async () => await probes.GetStringAsync(new Uri(url, "/readyz")) == "Healthy", $"{url} /readyz to say Healthy again");
        }

        string metrics = "";
        await WaitForAsync(async () => Metric(metrics = await probes.GetStringAsync(new Uri(pair.UrlA, "/metrics")), "porthole_audit_queued") == 0, "the queue to drain");
        Assert.True(Metric(metrics, "porthole_audit_write_failures_total") >= 1, metrics);
        Assert.True(Metric(metrics, "porthole_audit_flushed_total") >= 1, metrics);
        Assert.Equal(0, Metric(metrics, "porthole_audit_dropped_total"));
        Assert.Equal(1, Metric(metrics, "porthole_store_up{provider=\"postgresql\"}"));

        // Nothing was lost: the entry queued on A is read on B, with its recording.
        using var root = await pair.SignInAsync(pair.UrlB, "root", "admin-password");
        var page = await root.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?user=ops1&verb=exec");
        var exec = Assert.Single(page.GetProperty("items").EnumerateArray(), e => e.GetProperty("result").GetString() == "exit 0");
        var recording = exec.GetProperty("details").GetProperty("recording").GetString();
        await WaitForAsync(async () =>
        {
            using var cast = await root.Http.GetAsync($"/api/v1/terminal/recordings/{recording}");
            return cast.StatusCode == HttpStatusCode.OK && (await cast.Content.ReadAsStringAsync()).Contains("down-25", StringComparison.Ordinal);
        }, "the recording's last output, stored once the database was back");

        // Reconnected without a restart: sign-out works again and reaches the other replica.
        var cookie = alice.Cookies.GetCookies(pair.UrlB)["porthole_session"]!.Value;
        using (var logout = await alice.Http.PostAsync("/api/v1/auth/logout", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await WaitForAsync(async () => await MeAsync(pair.UrlA, cookie) == HttpStatusCode.Unauthorized, "A to refuse the cookie signed out on B after the reconnect");
    }

    /// <summary>The value of one Prometheus series (0 when absent).</summary>
    private static double Metric(string text, string series) =>
        text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal)).Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
}
