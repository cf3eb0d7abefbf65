using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Hosting;

namespace Porthole.KubeSim.Tests.Controllers.Batch;

/// <summary>The CronJob controller on a simulator whose clock the test moves, over HTTPS.</summary>
public sealed class CronJobControllerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(DateTime.UtcNow.Year, DateTime.UtcNow.Month, DateTime.UtcNow.Day, DateTime.UtcNow.Hour, DateTime.UtcNow.Minute, 30, TimeSpan.Zero));
    private SimServer? _server;
    private HttpClient? _http;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        _server = await SimServer.StartAsync(new KubeSimOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Seed = "empty", Time = _time });
        _http = _server.CreateHttpClient("sim-admin");
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static JsonObject CronJob(string name, string policy, params string[] command) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "CronJob",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["schedule"] = "* * * * *",
            ["concurrencyPolicy"] = policy,
            ["successfulJobsHistoryLimit"] = 1,
            ["jobTemplate"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["template"] = new JsonObject
                    {
                        ["spec"] = new JsonObject
                        {
                            ["restartPolicy"] = "OnFailure",
                            ["containers"] = new JsonArray(new JsonObject
                            {
                                ["name"] = "tick",
                                ["image"] = "busybox:1.36",
                                ["command"] = new JsonArray([.. command.Select(c => (JsonNode)c)]),
                            }),
                        },
                    },
                },
            },
        },
    };

    private async Task<JsonObject> GetAsync(string path) => JsonNode.Parse(await Http.GetStringAsync(path))!.AsObject();

    private async Task<List<JsonObject>> JobsAsync(string cronJob) =>
        [.. (await GetAsync("/apis/batch/v1/namespaces/default/jobs"))["items"]!.AsArray().OfType<JsonObject>()
            .Where(j => j.Arr("metadata", "ownerReferences")?.OfType<JsonObject>().Any(o => o.Str("name") == cronJob) == true)];

    /// <summary>Moves the clock a few seconds at a time until <paramref name="done"/> holds.</summary>
    private async Task<T> AdvanceUntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task CronJob_EveryMinute_CreatesMinuteNamedJobsAndPrunesHistory()
    {
        (await Http.PostAsJsonAsync("/apis/batch/v1/namespaces/default/cronjobs", CronJob("tick", "Allow", "echo", "tick"))).EnsureSuccessStatusCode();
        var firstMinute = (_time.GetUtcNow().ToUnixTimeSeconds() / 60) + 1;

        var first = await AdvanceUntilAsync(() => JobsAsync("tick"), j => j.Count >= 1, "first job");
        Assert.Equal($"tick-{firstMinute}", first[0].Name());
        Assert.NotNull(first[0].Str("metadata", "annotations", "batch.kubernetes.io/cronjob-scheduled-timestamp"));

        var cj = await AdvanceUntilAsync(() => GetAsync("/apis/batch/v1/namespaces/default/cronjobs/tick"), c => c.Str("status", "lastSuccessfulTime") is not null, "lastSuccessfulTime");
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(firstMinute * 60).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), cj.Str("status", "lastScheduleTime"));

        var later = await AdvanceUntilAsync(() => JobsAsync("tick"), j => j.Any(x => x.Name() == $"tick-{firstMinute + 2}"), "third minute");
        Assert.DoesNotContain(later, j => j.Name() == $"tick-{firstMinute}");
    }

    [Fact]
    public async Task CronJob_ForbidWithRunningJob_SkipsAndRecordsJobAlreadyActive()
    {
        (await Http.PostAsJsonAsync("/apis/batch/v1/namespaces/default/cronjobs", CronJob("busy", "Forbid", "sleep", "100000"))).EnsureSuccessStatusCode();

        var cj = await AdvanceUntilAsync(() => GetAsync("/apis/batch/v1/namespaces/default/cronjobs/busy"), c => c.Arr("status", "active")?.Count == 1, "one active");
        var events = await AdvanceUntilAsync(
            async () => (await GetAsync("/api/v1/namespaces/default/events"))["items"]!.AsArray().OfType<JsonObject>().Where(e => e.Str("involvedObject", "name") == "busy").ToList(),
            e => e.Any(x => x.Str("reason") == "JobAlreadyActive"),
            "JobAlreadyActive");

        Assert.Single(await JobsAsync("busy"));
        Assert.Equal("Job", cj.Arr("status", "active")![0]!.Str("kind"));
        Assert.Contains(events, e => e.Str("reason") == "SuccessfulCreate" && e.Str("message")!.StartsWith("Created job busy-", StringComparison.Ordinal));
    }
}
