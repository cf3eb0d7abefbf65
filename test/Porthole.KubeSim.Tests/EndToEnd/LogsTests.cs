using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using k8s;

namespace Porthole.KubeSim.Tests.EndToEnd;

/// <summary>Area 7: container logs through ReadNamespacedPodLogAsync, plain and followed.</summary>
public sealed partial class LogsTests : IClassFixture<SimFixture>
{
    private readonly SimFixture _sim;

    public LogsTests(SimFixture sim)
    {
        _sim = sim;
    }

    [GeneratedRegex(@" seq=(\d+) ")]
    private static partial Regex Seq();

    private static long SeqOf(string line) => long.Parse(Seq().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    private static async Task<string[]> LinesAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A running two-container pod whose containers have both logged at least three lines.</summary>
    private async Task<(Kubernetes Client, string Ns)> TwoContainerPodAsync(string prefix)
    {
        var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, prefix);
        await E2e.RunPodAsync(client, ns, E2e.Pod("duo", null, "main", "sidecar"));
        foreach (var container in new[] { "main", "sidecar" })
        {
            await Eventually.GetAsync(
                async () => (await LinesAsync(await client.CoreV1.ReadNamespacedPodLogAsync("duo", ns, container: container))).Length,
                n => n >= 3,
                E2e.PodDeadline,
                $"{container} logged three lines");
        }

        return (client, ns);
    }

    [Fact]
    public async Task ReadLog_TailLinesTimestampsContainer_SelectsThatContainersLastLines()
    {
        var (client, ns) = await TwoContainerPodAsync("logs");
        using (client)
        {
            var all = await LinesAsync(await client.CoreV1.ReadNamespacedPodLogAsync("duo", ns, container: "sidecar"));
            Assert.All(all, l => Assert.Contains("[sidecar]", l, StringComparison.Ordinal));
            Assert.Equal(Enumerable.Range(1, all.Length).Select(i => (long)i), all.Select(SeqOf));

            var tail = await LinesAsync(await client.CoreV1.ReadNamespacedPodLogAsync("duo", ns, container: "main", tailLines: 2));
            Assert.Equal(2, tail.Length);
            Assert.All(tail, l => Assert.Contains("[main]", l, StringComparison.Ordinal));
            Assert.Equal(SeqOf(tail[0]) + 1, SeqOf(tail[1]));

            var stamped = await LinesAsync(await client.CoreV1.ReadNamespacedPodLogAsync("duo", ns, container: "main", tailLines: 1, timestamps: true));
            var line = Assert.Single(stamped);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$", line[..space]);
            Assert.Contains("[main] seq=", line[(space + 1)..], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadLog_TwoContainersWithoutName_Returns400()
    {
        using var client = _sim.Client();
        var ns = await E2e.NamespaceAsync(client, "logerr");
        await E2e.RunPodAsync(client, ns, E2e.Pod("duo", null, "main", "sidecar"));
        var (code, status) = await E2e.FailureAsync(() => client.CoreV1.ReadNamespacedPodLogAsync("duo", ns));
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Equal("a container name must be specified for pod duo, choose one of: [main sidecar]", (string?)status["message"]);
    }

    [Fact]
    public async Task ReadLog_Follow_StreamsConsecutiveSequenceNumbers()
    {
        var (client, ns) = await TwoContainerPodAsync("logf");
        using (client)
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("duo", ns, container: "main", follow: true, tailLines: 1, cancellationToken: cts.Token);
            using var reader = new StreamReader(stream);
            var seqs = new List<long>();
            while (seqs.Count < 4)
            {
                var line = await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("follow ended early");
                seqs.Add(SeqOf(line));
            }

            Assert.Equal(Enumerable.Range(0, 4).Select(i => seqs[0] + i), seqs);
            Assert.True(seqs[0] >= 3);
        }
    }
}
