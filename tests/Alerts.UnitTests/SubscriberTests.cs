using Alerts.Core;
using Alerts.Core.Digests;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.UnitTests;

public sealed class SubscriberTests
{
    [Theory]
    // 07:00 in Berlin (winter, UTC+1) is 06:00 UTC.
    [InlineData("daily@07", "Europe/Berlin", "2026-01-15T05:59:00Z", null, false)]
    [InlineData("daily@07", "Europe/Berlin", "2026-01-15T06:00:00Z", null, true)]
    [InlineData("daily@07", "Europe/Berlin", "2026-01-15T10:00:00Z", "2026-01-15T06:05:00Z", false)]
    [InlineData("daily@07", "Europe/Berlin", "2026-01-16T06:00:00Z", "2026-01-15T06:05:00Z", true)]
    [InlineData("daily@07", "Asia/Seoul", "2026-01-14T22:00:00Z", null, true)]
    [InlineData("weekly@fri", "America/New_York", "2026-01-16T12:59:00Z", null, false)]
    [InlineData("weekly@fri", "America/New_York", "2026-01-16T13:00:00Z", null, true)]
    [InlineData("immediate", "UTC", "2026-01-16T13:00:00Z", "2026-01-16T12:59:00Z", true)]
    public void IsDue_LocalHourInTimeZone(string cadence, string zone, string now, string? last, bool expected) =>
        Assert.Equal(expected, Cadence.IsDue(cadence, zone, last is null ? null : DateTimeOffset.Parse(last), DateTimeOffset.Parse(now)));

    [Fact]
    public void Token_RoundTrip_ValidOnlyForItsPurposeAndUntilExpiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var tokens = new TokenService(Options.Create(new SecurityOptions { SigningKey = "test-key-0123456789-0123456789-0123" }), clock);

        var token = tokens.Create(TokenPurpose.Confirm, "Reader@Example.com", TimeSpan.FromHours(1));

        Assert.Equal("reader@example.com", tokens.Validate(token, TokenPurpose.Confirm));
        Assert.Null(tokens.Validate(token, TokenPurpose.Unsubscribe));
        Assert.Null(tokens.Validate(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), TokenPurpose.Confirm));
        Assert.Null(tokens.Validate("1.x.y.z", TokenPurpose.Confirm));
        Assert.Null(tokens.Validate(null, TokenPurpose.Confirm));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(tokens.Validate(token, TokenPurpose.Confirm));
    }

    [Fact]
    public void Token_OtherKey_Rejected()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = new TokenService(Options.Create(new SecurityOptions { SigningKey = "key-a-0123456789-0123456789-01234" }), clock);
        var b = new TokenService(Options.Create(new SecurityOptions { SigningKey = "key-b-0123456789-0123456789-01234" }), clock);

        Assert.Null(b.Validate(a.Create(TokenPurpose.Unsubscribe, "x@example.com", TimeSpan.FromDays(1)), TokenPurpose.Unsubscribe));
    }

    [Theory]
    [InlineData("a@example.com", true)]
    [InlineData(" a@example.com ", true)]
    [InlineData("Name <a@example.com>", false)]
    [InlineData("a@localhost", false)]
    [InlineData("a b@example.com", false)]
    [InlineData("@example.com", false)]
    [InlineData("", false)]
    public void ValidEmail_OnlyPlainAddresses(string value, bool valid) =>
        Assert.Equal(valid, SubscriptionService.ValidEmail(value) is not null);
}
