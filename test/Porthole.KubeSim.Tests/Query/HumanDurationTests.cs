using Porthole.KubeSim.Query;

namespace Porthole.KubeSim.Tests.Query;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(200, "3m20s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(5 * 3600 + 120, "5h2m")]
    [InlineData(20 * 3600, "20h")]
    [InlineData(52 * 3600, "2d4h")]
    [InlineData(3 * 86400, "3d")]
    [InlineData(45 * 86400, "45d")]
    [InlineData(2 * 365 * 86400 + 30 * 86400, "2y30d")]
    [InlineData(3 * 365 * 86400, "3y")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void Format_Seconds_PrintsLikeTheApiServer(long seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Since_MissingTimestamp_IsUnknown()
    {
        Assert.Equal("<unknown>", HumanDuration.Since(null, DateTimeOffset.UnixEpoch));
    }
}
