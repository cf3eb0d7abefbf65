using System.Text.Json.Nodes;
using Porthole.KubeSim.Api;

namespace Porthole.KubeSim.Tests.Controllers.Batch;

/// <summary>The Job controller driven through the API over HTTPS: pods, counts, conditions, limits, suspend and TTL.</summary>
public sealed class JobControllerTests : IClassFixture<FastSimFixture>
{
    private readonly FastSimFixture _sim;

    public JobControllerTests(FastSimFixture sim)
    {
        _sim = sim;
    }

    private static JsonObject Job(string ns, string name, JsonObject spec, params string[] command)
    {
        spec["template"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["restartPolicy"] = "Never",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "work",
                    ["image"] = "busybox:1.36",
                    ["command"] = new JsonArray([.. command.Select(c => (JsonNode)c)]),
                }),
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    private static JsonObject? Condition(JsonObject job, string type) =>
        job.Arr("status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type && c.Str("status") == "True");

    private async Task<List<JsonObject>> PodsAsync(string ns, string job) =>
        await _sim.ItemsAsync($"/api/v1/namespaces/{ns}/pods?labelSelector=batch.kubernetes.io/job-name={job}");

    [Fact]
    public async Task Job_ThreeCompletionsTwoInParallel_CompletesWithLabelledOwnedPods()
    {
        await _sim.NamespaceAsync("jobs-ok");
        await _sim.PostAsync("/apis/batch/v1/namespaces/jobs-ok/jobs", Job("jobs-ok", "count", new JsonObject { ["completions"] = 3, ["parallelism"] = 2 }, "sleep", "1"));

        var running = await _sim.EventuallyAsync("/apis/batch/v1/namespaces/jobs-ok/jobs/count", j => j.Long("status", "active") == 2, "2 active");
        Assert.NotNull(running.Str("status", "startTime"));
        var job = await _sim.EventuallyAsync("/apis/batch/v1/namespaces/jobs-ok/jobs/count", j => Condition(j, "Complete") is not null, "Complete");

        Assert.Equal(3, job.Long("status", "succeeded"));
        Assert.Null(job.Long("status", "active"));
        Assert.NotNull(job.Str("status", "completionTime"));
        Assert.Equal("CompletionsReached", Condition(job, "Complete")!.Str("reason"));
        Assert.Equal(job.Uid(), job.Str("spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"));
        var pods = await PodsAsync("jobs-ok", "count");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal("Succeeded", p.Str("status", "phase"));
            Assert.StartsWith("count-", p.Name(), StringComparison.Ordinal);
            Assert.Equal(job.Uid(), p.Labels()["controller-uid"]);
            Assert.Equal("count", p.Labels()["job-name"]);
            Assert.Equal(job.Uid(), p.Labels()["batch.kubernetes.io/controller-uid"]);
            var owner = p.Arr("metadata", "ownerReferences")!.OfType<JsonObject>().Single();
            Assert.Equal("Job", owner.Str("kind"));
            Assert.True(owner.Bool("controller"));
            Assert.True(owner.Bool("blockOwnerDeletion"));
        });
        var events = (await _sim.ItemsAsync("/api/v1/namespaces/jobs-ok/events")).Where(e => e.Str("involvedObject", "kind") == "Job").ToList();
        Assert.Equal(3, events.Count(e => e.Str("reason") == "SuccessfulCreate"));
        Assert.Contains(events, e => e.Str("reason") == "Completed" && e.Str("message") == "Job completed");
    }

    [Fact]
    public async Task Job_FailingPods_FailsWithBackoffLimitExceeded()
    {
        await _sim.NamespaceAsync("jobs-fail");
        await _sim.PostAsync("/apis/batch/v1/namespaces/jobs-fail/jobs", Job("jobs-fail", "doomed", new JsonObject { ["backoffLimit"] = 1 }, "false"));

        var job = await _sim.EventuallyAsync("/apis/batch/v1/namespaces/jobs-fail/jobs/doomed", j => Condition(j, "Failed") is not null, "Failed");

        Assert.Equal("BackoffLimitExceeded", Condition(job, "Failed")!.Str("reason"));
        Assert.Equal("Job has reached the specified backoff limit", Condition(job, "Failed")!.Str("message"));
        Assert.Equal(2, job.Long("status", "failed"));
        Assert.Null(Condition(job, "Complete"));
        Assert.Equal(2, (await PodsAsync("jobs-fail", "doomed")).Count);
    }

    [Fact]
    public async Task Job_ActiveDeadline_FailsWithDeadlineExceededAndStopsPods()
    {
        await _sim.NamespaceAsync("jobs-late");
        await _sim.PostAsync("/apis/batch/v1/namespaces/jobs-late/jobs", Job("jobs-late", "slow", new JsonObject { ["activeDeadlineSeconds"] = 2 }, "sleep", "120"));

        var job = await _sim.EventuallyAsync("/apis/batch/v1/namespaces/jobs-late/jobs/slow", j => Condition(j, "Failed") is not null, "Failed");

        Assert.Equal("DeadlineExceeded", Condition(job, "Failed")!.Str("reason"));
        Assert.Equal("Job was active longer than specified deadline", Condition(job, "Failed")!.Str("message"));
        await Eventually.GetAsync(() => PodsAsync("jobs-late", "slow"), p => p.Count == 0, TimeSpan.FromSeconds(60), "pods deleted");
    }

    [Fact]
    public async Task Job_SuspendedThenResumed_CreatesPodsOnlyAfterResume()
    {
        await _sim.NamespaceAsync("jobs-susp");
        await _sim.PostAsync("/apis/batch/v1/namespaces/jobs-susp/jobs", Job("jobs-susp", "later", new JsonObject { ["suspend"] = true }, "echo", "hi"));

        var suspended = await _sim.EventuallyAsync("/apis/batch/v1/namespaces/jobs-susp/jobs/later", j => Condition(j, "Suspended") is not null, "Suspended");
        Assert.Equal("JobSuspended", Condition(suspended, "Suspended")!.Str("reason"));
        Assert.Empty(await PodsAsync("jobs-susp", "later"));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/apis/batch/v1/namespaces/jobs-susp/jobs/later")
        {
            Content = new StringContent("""{"spec":{"suspend":false}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        (await _sim.Http.SendAsync(patch)).EnsureSuccessStatusCode();

        var done = await _sim.EventuallyAsync("/apis/batch/v1/namespaces/jobs-susp/jobs/later", j => Condition(j, "Complete") is not null, "Complete");
        var resumed = done.Arr("status", "conditions")!.OfType<JsonObject>().Single(c => c.Str("type") == "Suspended");
        Assert.Equal("False", resumed.Str("status"));
        Assert.Equal("JobResumed", resumed.Str("reason"));
    }

    [Fact]
    public async Task Job_TtlSecondsAfterFinished_JobAndPodsDeleted()
    {
        await _sim.NamespaceAsync("jobs-ttl");
        await _sim.PostAsync("/apis/batch/v1/namespaces/jobs-ttl/jobs", Job("jobs-ttl", "brief", new JsonObject { ["ttlSecondsAfterFinished"] = 1 }, "true"));

        await Eventually.GetAsync(() => _sim.GetAsync("/apis/batch/v1/namespaces/jobs-ttl/jobs/brief"), j => j is null, TimeSpan.FromSeconds(60), "job deleted");
        await Eventually.GetAsync(() => PodsAsync("jobs-ttl", "brief"), p => p.Count == 0, TimeSpan.FromSeconds(60), "pods collected");
    }

    [Fact]
    public async Task Job_Indexed_PodsCarryIndexesAndCompletedIndexesReported()
    {
        await _sim.NamespaceAsync("jobs-idx");
        await _sim.PostAsync("/apis/batch/v1/namespaces/jobs-idx/jobs", Job("jobs-idx", "shards", new JsonObject { ["completions"] = 3, ["parallelism"] = 3, ["completionMode"] = "Indexed" }, "echo", "x"));

        var job = await _sim.EventuallyAsync("/apis/batch/v1/namespaces/jobs-idx/jobs/shards", j => Condition(j, "Complete") is not null, "Complete");

        Assert.Equal("0-2", job.Str("status", "completedIndexes"));
        var indexes = (await PodsAsync("jobs-idx", "shards")).Select(p => p.Annotations()["batch.kubernetes.io/job-completion-index"]).Order(StringComparer.Ordinal);
        Assert.Equal(["0", "1", "2"], indexes);
    }
}
