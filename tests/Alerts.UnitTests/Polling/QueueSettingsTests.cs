using System.Text.Json;
using Alerts.Core;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alerts.UnitTests.Polling;

/// <summary>The local queue consumer uses host.json's settings; the timer chooses in-process or the queue by them.</summary>
public sealed class QueueSettingsTests
{
    [Fact]
    public void HostJson_QueueSettings_AreTheLocalConsumersDefaults()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "host.json")));
        var queues = hostJson.RootElement.GetProperty("extensions").GetProperty("queues");
        var defaults = new QueueOptions();

        Assert.Equal(defaults.BatchSize, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(defaults.NewBatchThreshold, queues.GetProperty("newBatchThreshold").GetInt32());
        Assert.Equal(defaults.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(defaults.VisibilityTimeoutSeconds), TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromSeconds(defaults.MaxPollingIntervalSeconds), TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString()); // what QueueStorage writes
    }

    [Theory]
    [InlineData(PollMode.Auto, 16, PollMode.InProcess)]
    [InlineData(PollMode.Auto, 17, PollMode.Queue)]
    [InlineData(PollMode.InProcess, 10_000, PollMode.InProcess)]
    [InlineData(PollMode.Queue, 1, PollMode.Queue)]
    public void ModeFor_DueFeeds_QueueOnceMoreThanOneBatch(PollMode configured, int due, PollMode expected)
    {
        var dispatcher = new PollDispatcher(null!, null!, null!, null!, null!, null!, Options.Create(new QueueOptions { Mode = configured }), TimeProvider.System, NullLogger<PollDispatcher>.Instance);

        Assert.Equal(expected, dispatcher.ModeFor(due));
    }

    [Theory]
    [InlineData(null, null, false)] // never enqueued
    [InlineData(-5, null, true)] // enqueued, not attempted
    [InlineData(-5, -10, true)] // attempted before it was enqueued
    [InlineData(-5, -4, false)] // attempted since
    [InlineData(-61, null, false)] // enqueued over an hour ago: its message is gone, enqueue again
    public void IsQueued_FeedState_NotEnqueuedTwice(int? enqueuedMinutes, int? attemptedMinutes, bool expected)
    {
        var now = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var feed = new FeedEntity
        {
            EnqueuedAt = enqueuedMinutes is { } e ? now.AddMinutes(e) : null,
            LastAttemptAt = attemptedMinutes is { } a ? now.AddMinutes(a) : null,
        };

        Assert.Equal(expected, PollDispatcher.IsQueued(feed, now));
    }

    [Theory]
    [InlineData("""{"feedUrl":"https://a.test/rss","enqueuedAt":"2026-11-28T09:00:00+00:00"}""", "https://a.test/rss")]
    [InlineData("not json", null)]
    [InlineData("""{"feedUrl":""}""", null)]
    [InlineData("", null)]
    public void PollFeedMessage_Parse_FeedOrNull(string text, string? expected)
    {
        Assert.Equal(expected, PollFeedMessage.Parse(text)?.FeedUrl);
    }

    [Fact]
    public void InterleaveByHost_FeedsInUrlOrder_NoTwoNeighboursOnOneHostWhileOthersRemain()
    {
        List<string> hosts = ["a", "a", "a", "b", "b", "c"];
        var feeds = hosts.Select((h, i) => new FeedEntity { Url = $"https://{h}.test/{i}.xml" }).ToList();

        var ordered = FeedOrder.InterleaveByHost(feeds);

        Assert.Equal(["a", "b", "c", "a", "b", "a"], ordered.Select(f => new Uri(f.Url).Host[..1]));
        Assert.Equal(feeds.Count, ordered.Distinct().Count());
    }
}
