using Cairn.Core.Audit;

namespace Cairn.Core.Tests.Audit;

public sealed class AuditTimesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1.5s", 1.5)]
    public void A_duration_is_that_long_before_now(string text, double seconds) =>
        Assert.Equal(Now - TimeSpan.FromSeconds(seconds), AuditTimes.Parse(text, Now));

    [Fact]
    public void An_iso_time_is_read_as_utc_when_it_has_no_offset() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero), AuditTimes.Parse("2026-11-21T06:00:00", Now));

    [Theory]
    [InlineData("1000000000d")]
    [InlineData("1e300s")]
    [InlineData("NaNd")]
    [InlineData("Infinityh")]
    [InlineData("-5m")]
    [InlineData("soon")]
    public void Nonsense_and_durations_before_year_one_are_no_time_rather_than_an_exception(string text) =>
        Assert.Null(AuditTimes.Parse(text, Now));
}
