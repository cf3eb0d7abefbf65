using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Tests.Controllers.Batch;

namespace Porthole.KubeSim.Tests.Kubelet;

/// <summary>Containers that crash, fail to pull or finish, observed through the API over HTTPS.</summary>
public sealed class ContainerFailureTests : IClassFixture<FastSimFixture>
{
    private readonly FastSimFixture _sim;

    public ContainerFailureTests(FastSimFixture sim)
    {
        _sim = sim;
    }

    private static JsonObject? Status(JsonObject pod) => pod.Arr("status", "containerStatuses")?.OfType<JsonObject>().FirstOrDefault();

    private async Task<List<JsonObject>> EventsAsync(string ns, string pod) =>
        [.. (await _sim.ItemsAsync($"/api/v1/namespaces/{ns}/events")).Where(e => e.Str("involvedObject", "name") == pod)];

    [Fact]
    public async Task CrashImage_Runs_CrashLoopsWithGrowingRestartsBackOffAndPreviousLogs()
    {
        await _sim.NamespaceAsync("crash");
        await _sim.PostAsync("/api/v1/namespaces/crash/pods", FastSimFixture.Pod("crash", "boom", "example/crash:1"));
        var path = "/api/v1/namespaces/crash/pods/boom";

        var looping = await _sim.EventuallyAsync(path, p => Status(p)?.Str("state", "waiting", "reason") == "CrashLoopBackOff", "CrashLoopBackOff");
        var status = Status(looping)!;
        Assert.Equal(1, status.Long("lastState", "terminated", "exitCode"));
        Assert.Equal("Error", status.Str("lastState", "terminated", "reason"));
        Assert.NotNull(status.Str("lastState", "terminated", "startedAt"));
        Assert.NotNull(status.Str("lastState", "terminated", "finishedAt"));
        Assert.StartsWith("back-off 1s restarting failed container=app pod=boom_crash(", status.Str("state", "waiting", "message"), StringComparison.Ordinal);
        Assert.False(status.Bool("ready"));
        Assert.Equal("Running", looping.Str("status", "phase"));
        Assert.Contains(looping.Arr("status", "conditions")!.OfType<JsonObject>(), c => c.Str("type") == "Ready" && c.Str("status") == "False");

        await _sim.EventuallyAsync(path, p => Status(p)?.Long("restartCount") >= 3, "restartCount 3");
        var events = await EventsAsync("crash", "boom");
        var backOff = Assert.Single(events.Where(e => e.Str("reason") == "BackOff").Take(1));
        Assert.Equal("Warning", backOff.Str("type"));
        Assert.Matches(@"^Back-off restarting failed container app in pod boom_crash\([0-9a-f-]+\)$", backOff.Str("message"));
        Assert.True(events.Count(e => e.Str("reason") == "Started") >= 2);

        var previous = await _sim.Http.GetStringAsync($"{path}/log?previous=true");
        Assert.NotEmpty(previous.Trim());
    }

    [Fact]
    public async Task PullFailImage_Start_ErrImagePullThenImagePullBackOffWithEvents()
    {
        await _sim.NamespaceAsync("pull");
        await _sim.PostAsync("/api/v1/namespaces/pull/pods", FastSimFixture.Pod("pull", "nope", "example/pull-fail:1"));
        var path = "/api/v1/namespaces/pull/pods/nope";

        var first = await _sim.EventuallyAsync(path, p => Status(p)?.Str("state", "waiting", "reason") == "ErrImagePull", "ErrImagePull");
        Assert.Equal("Pending", first.Str("status", "phase"));
        Assert.Contains("not found", Status(first)!.Str("state", "waiting", "message"), StringComparison.Ordinal);
        var backOff = await _sim.EventuallyAsync(path, p => Status(p)?.Str("state", "waiting", "reason") == "ImagePullBackOff", "ImagePullBackOff");
        Assert.Equal("Back-off pulling image \"example/pull-fail:1\"", Status(backOff)!.Str("state", "waiting", "message"));
        Assert.Equal(0, Status(backOff)!.Long("restartCount"));

        var events = await EventsAsync("pull", "nope");
        Assert.Contains(events, e => e.Str("reason") == "Failed" && e.Str("type") == "Warning"
            && e.Str("message")!.StartsWith("Failed to pull image \"example/pull-fail:1\": ", StringComparison.Ordinal) && e.Str("message")!.EndsWith("not found", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Str("reason") == "BackOff" && e.Str("message") == "Back-off pulling image \"example/pull-fail:1\"");
        Assert.DoesNotContain(events, e => e.Str("reason") == "Started");
        var logs = await _sim.Http.GetAsync($"{path}/log");
        Assert.Equal(400, (int)logs.StatusCode);
    }

    [Fact]
    public async Task FiniteCommands_RestartNever_SucceedOrFailWithTerminatedStates()
    {
        await _sim.NamespaceAsync("finite");
        await _sim.PostAsync("/api/v1/namespaces/finite/pods", FastSimFixture.Pod("finite", "nap", "busybox:1.36", "Never", "sleep", "1"));
        await _sim.PostAsync("/api/v1/namespaces/finite/pods", FastSimFixture.Pod("finite", "bad", "busybox:1.36", "Never", "sh", "-c", "echo hi; exit 3"));
        await _sim.PostAsync("/api/v1/namespaces/finite/pods", FastSimFixture.Pod("finite", "server", "busybox:1.36", "Never", "httpd", "-f"));

        var nap = await _sim.EventuallyAsync("/api/v1/namespaces/finite/pods/nap", p => p.Str("status", "phase") == "Succeeded", "nap Succeeded");
        var done = Status(nap)!.Obj("state", "terminated")!;
        Assert.Equal(0, done.Long("exitCode"));
        Assert.Equal("Completed", done.Str("reason"));
        var ran = Porthole.KubeSim.Kubelet.SimFormat.ParseTime(done.Str("finishedAt"))!.Value - Porthole.KubeSim.Kubelet.SimFormat.ParseTime(done.Str("startedAt"))!.Value;
        Assert.InRange(ran.TotalSeconds, 1, 3);
        Assert.Contains(nap.Arr("status", "conditions")!.OfType<JsonObject>(), c => c.Str("type") == "Ready" && c.Str("reason") == "PodCompleted");

        var bad = await _sim.EventuallyAsync("/api/v1/namespaces/finite/pods/bad", p => p.Str("status", "phase") == "Failed", "bad Failed");
        Assert.Equal(3, Status(bad)!.Long("state", "terminated", "exitCode"));
        Assert.Equal("Error", Status(bad)!.Str("state", "terminated", "reason"));
        Assert.Equal(0, Status(bad)!.Long("restartCount"));

        var server = await _sim.GetAsync("/api/v1/namespaces/finite/pods/server");
        Assert.Equal("Running", server!.Str("status", "phase"));
    }
}
