using Porthole.KubeSim.Controllers.Batch;

namespace Porthole.KubeSim.Tests.Controllers.Batch;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 21, 7, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("* * * * *", "2026-11-23T21:08:00")]
    [InlineData("*/15 * * * *", "2026-11-23T21:15:00")]
    [InlineData("5,50 9-17 * * *", "2026-11-24T09:05:00")]
    [InlineData("0 0 * * MON-FRI", "2026-11-24T00:00:00")]
    [InlineData("0 12 1 jan *", "2027-01-01T12:00:00")]
    [InlineData("@hourly", "2026-11-23T22:00:00")]
    [InlineData("@daily", "2026-11-24T00:00:00")]
    [InlineData("@weekly", "2026-11-29T00:00:00")]
    [InlineData("@monthly", "2026-12-01T00:00:00")]
    [InlineData("0 0 13 * 5", "2026-11-27T00:00:00")]
    [InlineData("30 21 * * 7", "2026-11-29T21:30:00")]
    [InlineData("CRON_TZ=UTC 10-20/5 21 * * *", "2026-11-23T21:10:00")]
    public void Next_Schedule_FirstMinuteAfter(string schedule, string expected)
    {
        var next = CronSchedule.Parse(schedule).Next(Start);

        Assert.Equal(DateTimeOffset.Parse(expected + "Z", System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("61 * * * *")]
    [InlineData("*/0 * * * *")]
    [InlineData("a * * * *")]
    [InlineData("5-1 * * * *")]
    public void Parse_Invalid_FormatException(string schedule) =>
        Assert.Throws<FormatException>(() => CronSchedule.Parse(schedule));
}
