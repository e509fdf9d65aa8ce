using Alerts.Core.Digests;

namespace Alerts.UnitTests.Digests;

public sealed class CadenceTests
{
    [Theory]
    [InlineData("immediate", "immediate")]
    [InlineData("daily", "daily@08")]
    [InlineData("DAILY@7", "daily@07")]
    [InlineData("weekly@friday", "weekly@fri")]
    public void Cadence_Valid_Normalized(string value, string expected)
    {
        Assert.True(Cadence.TryParse(value, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("hourly")]
    [InlineData("daily@25")]
    [InlineData("weekly@xyz")]
    [InlineData("")]
    public void Cadence_Invalid_Refused(string value) => Assert.False(Cadence.TryParse(value, out _));
}
