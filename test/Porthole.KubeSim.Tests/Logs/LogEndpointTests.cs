using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Porthole.KubeSim.Api;
using Porthole.KubeSim.Kubelet;
using Porthole.KubeSim.Logs;

namespace Porthole.KubeSim.Tests.Logs;

public sealed partial class LogEndpointTests
{
    private static Task<(int Status, string Body, string? ContentType)> Get(JsonObject pod, string query, TimeSpan? sinceStart = null) =>
        LogPods.ServeAsync(pod, query, LogPods.Start + (sinceStart ?? TimeSpan.FromSeconds(60)));

    private static List<long> Seqs(string body) =>
        [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(SeqPattern().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task HandleAsync_RunningContainer_AllLinesSoFarWithoutGaps()
    {
        var (status, body, type) = await Get(LogPods.Running("web-1"), "");

        Assert.Equal(200, status);
        Assert.Equal("text/plain", type);
        var seqs = Seqs(body);
        Assert.InRange(seqs.Count, 59, 60);
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_TailLines_LastLinesOnly()
    {
        var all = Seqs((await Get(LogPods.Running("web-1"), "")).Body);
        var tail = Seqs((await Get(LogPods.Running("web-1"), "?tailLines=5")).Body);

        Assert.Equal(all.TakeLast(5), tail);
        Assert.Empty((await Get(LogPods.Running("web-1"), "?tailLines=0")).Body);
    }

    [Fact]
    public async Task HandleAsync_Timestamps_PrefixesRfc3339NanoOfEachLine()
    {
        var generator = new LogGenerator();
        var source = new LogSource(LogPods.Uid, "web", LogPods.Start);
        var lines = (await Get(LogPods.Running("web-1"), "?timestamps=true&tailLines=3")).Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            var stamp = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            Assert.Matches(@"^2026-11-23T20:00:\d\d(\.\d{1,9})?Z$", stamp);
            var seq = Seqs(line)[0];
            Assert.Equal(SimFormat.TimeNano(generator.TimeOf(source, seq)), stamp);
            Assert.Equal(generator.Text(source, seq), line[(stamp.Length + 1)..]);
        }
    }

    [Fact]
    public async Task HandleAsync_SinceSecondsAndSinceTime_OnlyLaterLines()
    {
        var generator = new LogGenerator();
        var source = new LogSource(LogPods.Uid, "web", LogPods.Start);
        var recent = Seqs((await Get(LogPods.Running("web-1"), "?sinceSeconds=10")).Body);
        var cutoff = LogPods.Start.AddSeconds(50);

        Assert.InRange(recent.Count, 9, 11);
        Assert.All(recent, n => Assert.True(generator.TimeOf(source, n) >= cutoff));
        Assert.True(generator.TimeOf(source, recent[0] - 1) < cutoff);
        var sinceTime = Seqs((await Get(LogPods.Running("web-1"), "?sinceTime=2026-11-23T20:00:50Z")).Body);
        Assert.Equal(recent, sinceTime);
    }

    [Fact]
    public async Task HandleAsync_LimitBytes_TruncatesBody()
    {
        var full = (await Get(LogPods.Running("web-1"), "")).Body;
        var (_, body, _) = await Get(LogPods.Running("web-1"), "?limitBytes=100");

        Assert.Equal(100, Encoding.UTF8.GetByteCount(body));
        Assert.StartsWith(body, full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_Previous_ReadsTheTerminatedInstanceWindow()
    {
        var pod = LogPods.Restarted("crashy");
        var previous = (await Get(pod, "?previous=true", TimeSpan.FromSeconds(120))).Body;
        var current = (await Get(pod, "", TimeSpan.FromSeconds(120))).Body;

        var before = Seqs(previous);
        Assert.InRange(before.Count, 59, 60);
        Assert.Equal(Enumerable.Range(1, before.Count).Select(i => (long)i), before);
        Assert.All(previous.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("2026-11-23T20:00:", l, StringComparison.Ordinal));
        var after = Seqs(current);
        Assert.InRange(after.Count, 54, 55);
        Assert.StartsWith("2026-11-23T20:01:0", current, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_InitContainer_ReadsItsCompletedRun()
    {
        var pod = LogPods.WithInit(LogPods.Running("web-1"), "migrate");
        var (status, body, _) = await Get(pod, "?container=migrate");

        Assert.Equal(200, status);
        Assert.InRange(Seqs(body).Count, 4, 5);
        Assert.Contains("[migrate]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_UnscheduledPod_EmptyBody()
    {
        var pod = LogPods.Running("floating");
        pod["spec"]!.AsObject().Remove("nodeName");

        var (status, body, _) = await Get(pod, "");
        Assert.Equal(200, status);
        Assert.Empty(body);
    }

    [GeneratedRegex(@"seq=(\d+)")]
    private static partial Regex SeqPattern();
}
