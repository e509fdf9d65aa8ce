using Alerts.Core;
using Alerts.Core.Digests;
using Alerts.Core.Email;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Alerts.UnitTests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alerts.UnitTests.Digests;

/// <summary>
/// The exactly-once rules of <see cref="DigestService"/>, on in-memory stores: every interleaving the
/// Azurite tests prove once, here quickly and many times.
/// </summary>
public sealed class DigestServiceTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemorySubscriberStore _subscribers = new();
    private readonly InMemoryMatchStore _matches = new();
    private readonly InMemoryDigestStore _digests = new();
    private readonly RecordingSender _sender = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public DigestServiceTests()
    {
        _subscribers.Add(new SubscriberEntity { RowKey = SubscriberStore.KeyOf("reader@example.com"), Email = "reader@example.com", Watchlists = "default", Cadence = "immediate", Confirmed = true, Watermark = _clock.GetUtcNow().AddDays(-1) });
        for (var i = 0; i < 3; i++)
        {
            _matches.Add(new MatchEntity { PartitionKey = "default", RowKey = $"story-{i}", Title = $"Story {i}", Sources = "https://feed.test/", MatchedAt = _clock.GetUtcNow().AddMinutes(-10 + i), Score = 5 });
        }
    }

    private DigestService Service() => new(
        _subscribers,
        _matches,
        _digests,
        _sender,
        new TokenService(Options.Create(new SecurityOptions { SigningKey = "unit-test-signing-key-0123456789-0123" }), _clock),
        TestMetrics.Create(),
        Options.Create(new AlertsOptions()),
        _clock,
        NullLogger<DigestService>.Instance);

    [Fact]
    public async Task SendDue_TwoRunsAtOnce_OneEmail()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Service().SendDueAsync(false, null, Ct), Ct)));

        Assert.Equal(1, runs.Sum(r => r.Sent));
        Assert.Single(_sender.Sent);
        Assert.Equal(DigestStatus.Sent, Assert.Single(_digests.All).Status);
    }

    [Fact]
    public async Task SendDue_WithQueueSettle_AMatchStampedEarlierButWrittenLater_IsStillSent()
    {
        // Queue consumers stamp MatchedAt just before writing: B is written first, A (stamped earlier) a moment later.
        _matches.Add(new MatchEntity { PartitionKey = "default", RowKey = "story-b", Title = "B", Sources = "https://b.test/", MatchedAt = _clock.GetUtcNow().AddSeconds(-30), Score = 5 });
        var first = await Service().SendDueAsync(false, null, DigestService.QueueSettle, Ct);
        _matches.Add(new MatchEntity { PartitionKey = "default", RowKey = "story-a", Title = "A", Sources = "https://a.test/", MatchedAt = _clock.GetUtcNow().AddSeconds(-60), Score = 5 });
        _clock.Advance(DigestService.QueueSettle);

        var second = await Service().SendDueAsync(false, null, DigestService.QueueSettle, Ct);

        Assert.Equal(3, Assert.Single(first.Delivered).Stories); // the three settled ones; B waits
        Assert.Equal(2, Assert.Single(second.Delivered).Stories); // A and B: neither fell behind the watermark
    }

    [Fact]
    public async Task SendDue_Paused_NothingSentWatermarkKeptThenSentOnResume()
    {
        var key = SubscriberStore.KeyOf("reader@example.com");
        var subscriber = _subscribers.Get(key);
        var watermark = subscriber.Watermark;
        subscriber.Paused = true;
        Assert.True(await _subscribers.TrySaveAsync(subscriber, Ct));

        var paused = await Service().SendDueAsync(true, null, Ct);
        Assert.Equal(watermark, _subscribers.Get(key).Watermark);
        subscriber = _subscribers.Get(key);
        subscriber.Paused = false;
        Assert.True(await _subscribers.TrySaveAsync(subscriber, Ct));
        var resumed = await Service().SendDueAsync(false, null, Ct);

        Assert.Equal(0, paused.Sent);
        Assert.Equal(1, resumed.Sent);
        Assert.Contains("3 stories", Assert.Single(_sender.Sent).Subject, StringComparison.Ordinal); // what matched while paused
        Assert.NotEqual(watermark, _subscribers.Get(SubscriberStore.KeyOf("reader@example.com")).Watermark);
    }

    [Fact]
    public async Task SendDue_Sent_LinksToTheManagePage() =>
        Assert.Contains("/manage?token=", (await SendOneAsync()).Text, StringComparison.Ordinal);

    private async Task<EmailMessage> SendOneAsync()
    {
        await Service().SendDueAsync(false, null, Ct);
        return Assert.Single(_sender.Sent);
    }

    [Fact]
    public async Task SendDue_AfterSending_WatermarkMovesAndNothingIsSentAgain()
    {
        await Service().SendDueAsync(false, null, Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var again = await Service().SendDueAsync(false, null, Ct);

        Assert.Equal(0, again.Sent);
        Assert.Single(_sender.Sent);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(-5).AddMinutes(-8), _subscribers.Get(SubscriberStore.KeyOf("reader@example.com")).Watermark);
    }

    [Fact]
    public async Task SendDue_ProviderRefusesThenAccepts_SentOnceOnTheNextRun()
    {
        _sender.FailNext = 1;

        var first = await Service().SendDueAsync(false, null, Ct);
        var second = await Service().SendDueAsync(false, null, Ct);

        Assert.Equal((0, 1), (first.Sent, first.Failed));
        Assert.Equal(1, second.Sent);
        Assert.Single(_sender.Sent);
    }

    [Theory]
    [InlineData(Delivery.Sent, DigestStatus.Sent, 0)]           // the crashed run's message went out: not sent again
    [InlineData(Delivery.Unknown, DigestStatus.Unconfirmed, 0)] // nobody can tell: never risk a second copy
    [InlineData(Delivery.NotSent, DigestStatus.Sent, 1)]        // it never left: sent now
    public async Task SendDue_ClaimLeftByACrashedRun_AskedBeforeSending(Delivery delivered, string status, int sentNow)
    {
        var crashed = await ClaimLikeACrashedRunAsync();
        _sender.Delivered = delivered;

        var withinClaim = await Service().SendDueAsync(false, null, Ct);
        _clock.Advance(DigestService.ClaimLifetime + TimeSpan.FromSeconds(1));
        var afterClaim = await Service().SendDueAsync(false, null, Ct);

        Assert.Equal(0, withinClaim.Sent); // another run owns the claim
        Assert.Equal(sentNow, afterClaim.Sent);
        Assert.Equal(sentNow, _sender.Sent.Count);
        Assert.Equal(status, (await _digests.GetAsync(crashed.PartitionKey, crashed.RowKey, Ct))!.Status);
    }

    [Fact]
    public async Task SendDue_UnconfirmedDigest_ListedForAdmins()
    {
        await ClaimLikeACrashedRunAsync();
        _sender.Delivered = Delivery.Unknown;
        _clock.Advance(DigestService.ClaimLifetime + TimeSpan.FromSeconds(1));

        await Service().SendDueAsync(false, null, Ct);

        Assert.Equal(DigestStatus.Unconfirmed, Assert.Single(await _digests.ListTroubleAsync(Ct)).Status);
    }

    /// <summary>A run that claimed the digest and died before recording the outcome.</summary>
    private async Task<DigestEntity> ClaimLikeACrashedRunAsync()
    {
        _sender.CrashNext = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Service().SendDueAsync(false, null, Ct));
        return Assert.Single(_digests.All, d => d.Status == DigestStatus.Sending);
    }

    private sealed class RecordingSender : IEmailSender
    {
        public List<EmailMessage> Sent { get; } = [];

        public int FailNext { get; set; }

        public bool CrashNext { get; set; }

        public Delivery Delivered { get; set; } = Delivery.NotSent;

        public Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                if (CrashNext)
                {
                    CrashNext = false;
                    throw new InvalidOperationException("the process died here");
                }

                if (FailNext > 0)
                {
                    FailNext--;
                    throw new EmailSendException("SendGrid answered 503");
                }

                Sent.Add(message);
                return Task.FromResult("message-" + Sent.Count);
            }
        }

        public Task<Delivery> WasSentAsync(string recipient, string digestId, CancellationToken cancellationToken) => Task.FromResult(Delivered);
    }
}
