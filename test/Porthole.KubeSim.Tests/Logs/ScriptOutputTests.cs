using System.Text.Json.Nodes;
using Porthole.KubeSim.Kubelet;

namespace Porthole.KubeSim.Tests.Logs;

/// <summary>The logs of finite commands: what the command prints, at the time it prints it.</summary>
public sealed class ScriptOutputTests
{
    [Theory]
    [InlineData("echo done", "done\n")]
    [InlineData("echo started; sleep 2; echo finished", "started\nfinished\n")]
    [InlineData("printf 'a=%s\\n' 1 2", "a=1\na=2\n")]
    [InlineData("echo -n partial", "partial\n")]
    [InlineData("hostname && whoami && pwd", "job-x\nroot\n/\n")]
    [InlineData("echo before; exit 3; echo never", "before\n")]
    [InlineData("sleep 5", "")]
    public async Task HandleAsync_FiniteShellScript_PrintsWhatItPrints(string script, string expected)
    {
        var pod = Finished("job-x", ["sh", "-c", script], TimeSpan.FromSeconds(10));

        Assert.Equal(expected, await LogsAsync(pod, ""));
    }

    [Fact]
    public async Task HandleAsync_TimestampsAndSince_LinesAtTheirOffsets()
    {
        var pod = Finished("job-y", ["sh", "-c", "echo one; sleep 30; echo two; date"], TimeSpan.FromSeconds(31));

        var stamped = await LogsAsync(pod, "?timestamps=true");
        var since = await LogsAsync(pod, "?sinceTime=" + Uri.EscapeDataString(SimFormat.Time(LogPods.Start.AddSeconds(10))));

        Assert.Equal(
            "2026-11-23T20:00:00Z one\n2026-11-23T20:00:30Z two\n2026-11-23T20:00:30Z Mon Nov 23 20:00:30 UTC 2026\n",
            stamped);
        Assert.Equal("two\nMon Nov 23 20:00:30 UTC 2026\n", since);
    }

    [Fact]
    public async Task HandleAsync_CommandArgvAndEnv_PrintedAsGiven()
    {
        var pod = Finished("job-z", ["echo", "spaced   words"], TimeSpan.FromSeconds(1));
        var env = Finished("job-e", ["printenv"], TimeSpan.FromSeconds(1));
        env["spec"]!["containers"]![0]!["env"] = new JsonArray(new JsonObject { ["name"] = "MODE", ["value"] = "demo" });

        Assert.Equal("spaced   words\n", await LogsAsync(pod, ""));
        Assert.Contains("\nHOSTNAME=job-e\nMODE=demo\n", await LogsAsync(env, ""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_RestartAlways_GeneratedLinesNotTheScript()
    {
        var pod = Finished("server", ["sh", "-c", "echo hi"], TimeSpan.FromSeconds(5));
        pod["spec"]!["restartPolicy"] = "Always";

        Assert.Contains("seq=1 ", await LogsAsync(pod, ""), StringComparison.Ordinal);
    }

    private static async Task<string> LogsAsync(JsonObject pod, string query) =>
        (await LogPods.ServeAsync(pod, query, LogPods.Start.AddMinutes(5))).Body;

    /// <summary>A Job's pod whose only container ran <paramref name="command"/> from LogPods.Start for <paramref name="ran"/>.</summary>
    private static JsonObject Finished(string name, string[] command, TimeSpan ran)
    {
        var pod = LogPods.Running(name, "job");
        pod["spec"]!["restartPolicy"] = "Never";
        pod["spec"]!["containers"]![0]!["command"] = new JsonArray([.. command.Select(c => (JsonNode?)c)]);
        pod["status"]!["containerStatuses"]![0]!["state"] = new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = 0,
                ["reason"] = "Completed",
                ["startedAt"] = SimFormat.Time(LogPods.Start),
                ["finishedAt"] = SimFormat.Time(LogPods.Start + ran),
            },
        };
        return pod;
    }
}
