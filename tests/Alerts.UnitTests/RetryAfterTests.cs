using Alerts.Core;

namespace Alerts.UnitTests;

public sealed class RetryAfterTests
{
    [Theory]
    [InlineData("120", 120)]
    [InlineData("Wed, 25 Nov 2026 10:00:30 GMT", 30)]
    [InlineData("Wed, 25 Nov 2026 09:59:00 GMT", 0)] // a date already past: no wait, never negative
    public void Of_DeltaOrDate_WaitFromNow(string header, int seconds)
    {
        var now = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        var wait = RetryAfter.Of(System.Net.Http.Headers.RetryConditionHeaderValue.Parse(header), now);

        Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
    }

    [Fact]
    public void Of_NoHeader_Null() => Assert.Null(RetryAfter.Of(null, DateTimeOffset.UtcNow));
}
