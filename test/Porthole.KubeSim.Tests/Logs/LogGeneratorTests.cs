using Porthole.KubeSim.Logs;

namespace Porthole.KubeSim.Tests.Logs;

public sealed class LogGeneratorTests
{
    private static readonly LogSource Source = new(LogPods.Uid, "web", LogPods.Start);

    [Fact]
    public void TimeOf_EachLine_FallsInItsOwnIntervalInOrder()
    {
        var generator = new LogGenerator();
        for (var n = 1; n <= 500; n++)
        {
            var at = generator.TimeOf(Source, n);
            Assert.InRange(at, LogPods.Start.AddSeconds(n - 1), LogPods.Start.AddSeconds(n).AddTicks(-1));
            Assert.True(at < generator.TimeOf(Source, n + 1));
        }
    }

    [Fact]
    public void CountAt_AroundEachLine_CountsWithoutGaps()
    {
        var generator = new LogGenerator(TimeSpan.FromMilliseconds(250));
        Assert.Equal(0, generator.CountAt(Source, LogPods.Start.AddTicks(-1)));
        for (var n = 1; n <= 500; n++)
        {
            var at = generator.TimeOf(Source, n);
            Assert.Equal(n, generator.CountAt(Source, at));
            Assert.Equal(n - 1, generator.CountAt(Source, at.AddTicks(-1)));
            Assert.Equal(n, generator.FirstAtOrAfter(Source, at));
            Assert.Equal(n + 1, generator.FirstAtOrAfter(Source, at.AddTicks(1)));
        }
    }

    [Fact]
    public void Text_SameInputs_SameLineWithSequenceAndContainer()
    {
        var a = new LogGenerator().Text(Source, 42);
        var b = new LogGenerator().Text(Source, 42);

        Assert.Equal(a, b);
        Assert.Matches(@"^2026-11-23T20:00:4[12]\.\d{9}Z (INFO |WARN |ERROR|DEBUG) \[web\] seq=42 \S.*$", a);
        Assert.NotEqual(a, new LogGenerator().Text(Source with { Start = LogPods.Start.AddSeconds(1) }, 42));
        Assert.Contains("starting web", new LogGenerator().Text(Source, 1), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_ManyLines_VaryInLevelAndMessage()
    {
        var generator = new LogGenerator();
        var lines = Enumerable.Range(4, 400).Select(n => generator.Text(Source, n)).ToList();

        Assert.Contains(lines, l => l.Contains(" WARN ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" 200 ", StringComparison.Ordinal));
        Assert.True(lines.Select(l => l[(l.IndexOf("seq=", StringComparison.Ordinal) + 8)..]).Distinct().Count() > 100);
    }
}
