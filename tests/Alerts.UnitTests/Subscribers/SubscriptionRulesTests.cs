using Alerts.Core.Digests;
using Alerts.Core.Subscribers;

namespace Alerts.UnitTests.Subscribers;

public sealed class SubscriptionRulesTests
{
    [Theory]
    [InlineData("moc.elpmaxe@\u202Eevil.com")]
    [InlineData("a\u200E@example.com")]
    [InlineData("a\u0007@example.com")]
    public void ValidEmail_ControlOrDirectionCharacters_Refused(string value) =>
        Assert.Null(SubscriptionService.ValidEmail(value));

    [Fact]
    public void CleanName_DirectionControlsAndLineBreaks_Removed() =>
        Assert.Equal("Ann evil", SubscriptionService.CleanName("Ann\u202E\r\nevil\u202C"));

    [Fact]
    public void CleanName_TooLong_RefusedNamingTheField()
    {
        var error = Assert.Throws<SubscriptionException>(() => SubscriptionService.CleanName(new string('n', 60_000)));

        Assert.Equal("name", error.Field);
    }

    [Theory]
    [InlineData("Europe/Berlin", true)]
    [InlineData("UTC", true)]
    [InlineData("W. Europe Standard Time", false)] // a Windows id: the system knows it, we promise IANA
    [InlineData("Pacific Standard Time", false)]
    [InlineData("Mars/Olympus", false)]
    public void FindTimeZone_OnlyIanaIds(string id, bool found) =>
        Assert.Equal(found, Cadence.FindTimeZone(id) is not null);
}
