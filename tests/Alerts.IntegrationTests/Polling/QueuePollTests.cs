using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Polling;

/// <summary>
/// One queue message = one feed (<see cref="PollService.PollFeedAsync(PollFeedMessage, CancellationToken)"/>) against
/// Azurite, with two service providers standing for two Functions instances: each has its own HTTP
/// handler and caches, and they share only storage.
/// </summary>
public sealed class QueuePollTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ServiceProvider Instance(int perHost = 2)
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Fetch:PerHostConcurrency"] = perHost.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Alerts:Queue:FeedClaimSeconds"] = "30";
        return TestServices.Build(settings);
    }

    [Fact]
    public async Task PollFeed_SameMessageDeliveredTwice_FetchedOnceStoredOnce()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/twice.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://twice.test"));
        await using var one = Instance();
        await using var two = Instance();
        await one.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        var message = new PollFeedMessage(url, DateTimeOffset.UtcNow.AddSeconds(-1));

        var first = await one.GetRequiredService<PollService>().PollFeedAsync(message, Ct);
        var second = await two.GetRequiredService<PollService>().PollFeedAsync(message, Ct);

        Assert.Equal(QueuedPollStatus.Polled, first.Status);
        Assert.Equal(5, first.Result!.NewMatches);
        Assert.Equal(QueuedPollStatus.AlreadyDone, second.Status);
        Assert.Equal(1, server.Requests);
        var stories = await one.GetRequiredService<MatchStore>().ListAsync("default", null, 100, Ct);
        Assert.Equal(5, stories.Count);
        Assert.All(stories, s => Assert.Equal([url], s.SourceList));
    }

    [Fact]
    public async Task PollFeed_TwoInstancesOnOneFeedAtOnce_OneFetchesTheOtherDefers()
    {
        await using var server = await FeedServer.StartAsync();
        var body = TestFeeds.Rss(TestFeeds.Seeds(), "https://race.test");
        var url = server.ServeSlowly("/race.xml", body, TimeSpan.FromMilliseconds(500)); // long enough for both instances to be at it at once
        await using var one = Instance();
        await using var two = Instance();
        await one.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        var message = new PollFeedMessage(url, DateTimeOffset.UtcNow.AddSeconds(-1));

        var outcomes = await Task.WhenAll(
            Task.Run(() => one.GetRequiredService<PollService>().PollFeedAsync(message, Ct), Ct),
            Task.Run(() => two.GetRequiredService<PollService>().PollFeedAsync(message, Ct), Ct));

        Assert.Single(outcomes, o => o.Status == QueuedPollStatus.Polled);
        var deferred = Assert.Single(outcomes, o => o.Status == QueuedPollStatus.Deferred);
        Assert.True(deferred.RetryAfter > TimeSpan.Zero);
        Assert.Equal(1, server.Requests);
        Assert.Equal(5, (await one.GetRequiredService<MatchStore>().ListAsync("default", null, 100, Ct)).Count);
        // The deferred copy, when it comes back, finds the feed done.
        Assert.Equal(QueuedPollStatus.AlreadyDone, (await two.GetRequiredService<PollService>().PollFeedAsync(message, Ct)).Status);
    }

    [Fact]
    public async Task Consumer_FeedBeingPolledElsewhere_SendsADelayedCopy()
    {
        await using var server = await FeedServer.StartAsync();
        var body = TestFeeds.Rss(TestFeeds.Seeds(), "https://copy.test");
        var url = server.ServeSlowly("/copy.xml", body, TimeSpan.FromMilliseconds(500)); // long enough for the second consumer to find the feed claimed
        await using var one = Instance();
        await using var two = Instance();
        await one.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        var message = new PollFeedMessage(url, DateTimeOffset.UtcNow.AddSeconds(-1));
        var queue = two.GetRequiredService<PollQueueClient>();
        var before = (await queue.GetStatsAsync(Ct)).Length;

        var outcomes = await Task.WhenAll(
            Task.Run(() => one.GetRequiredService<PollFeedConsumer>().HandleAsync(message, Ct), Ct),
            Task.Run(() => two.GetRequiredService<PollFeedConsumer>().HandleAsync(message, Ct), Ct));

        Assert.Single(outcomes, o => o.Status == QueuedPollStatus.Polled);
        Assert.Single(outcomes, o => o.Status == QueuedPollStatus.Deferred);
        Assert.Equal(before + 1, (await queue.GetStatsAsync(Ct)).Length); // the deferred copy, invisible for now
    }

    [Fact]
    public async Task PollFeed_PerHostLimitOne_TwoInstancesNeverFetchFromTheHostAtOnce()
    {
        await using var server = await FeedServer.StartAsync();
        var urls = Enumerable.Range(0, 4)
            .Select(i => server.ServeSlowly($"/slow-{i}.xml", TestFeeds.Rss(TestFeeds.Unrelated, $"https://slow-{i}.test"), TimeSpan.FromMilliseconds(300)))
            .ToList();
        await using var one = Instance(perHost: 1);
        await using var two = Instance(perHost: 1);
        foreach (var url in urls)
        {
            await one.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        }

        var enqueuedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        var outcomes = await Task.WhenAll(urls.Select((url, i) => Task.Run(() => (i % 2 == 0 ? one : two).GetRequiredService<PollService>().PollFeedAsync(new PollFeedMessage(url, enqueuedAt), Ct), Ct)));

        // Each instance's own connection limit would allow one fetch each: only the shared lease keeps it to one in all.
        Assert.Equal(1, server.MaxInFlight);
        Assert.All(outcomes, o => Assert.Contains(o.Status, new[] { QueuedPollStatus.Polled, QueuedPollStatus.Deferred }));
        Assert.Equal(outcomes.Count(o => o.Status == QueuedPollStatus.Polled), server.Requests);
    }

    [Fact]
    public async Task PollFeed_HostAnswers429_EveryInstanceWaitsWithoutAsking()
    {
        await using var server = await FeedServer.StartAsync();
        var limited = server.Handle("/limited-a.xml", context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        });
        var sameHost = server.Serve("/limited-b.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Unrelated, "https://b.test"));
        await using var one = Instance();
        await using var two = Instance();
        await one.GetRequiredService<FeedStore>().AddAsync(limited, Ct);
        await one.GetRequiredService<FeedStore>().AddAsync(sameHost, Ct);
        var enqueuedAt = DateTimeOffset.UtcNow.AddSeconds(-1);

        var first = await one.GetRequiredService<PollService>().PollFeedAsync(new PollFeedMessage(limited, enqueuedAt), Ct);
        var other = await two.GetRequiredService<PollService>().PollFeedAsync(new PollFeedMessage(sameHost, enqueuedAt), Ct);

        Assert.Equal(QueuedPollStatus.Polled, first.Status);
        Assert.False(first.Result!.Ok);
        Assert.Equal(QueuedPollStatus.HostSlowedDown, other.Status);
        Assert.InRange(other.RetryAfter!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(121));
        Assert.Equal(1, server.Requests); // the second instance did not ask the host at all
        var waiting = await two.GetRequiredService<FeedStore>().GetAsync(sameHost, Ct);
        Assert.True(waiting!.NextPollAt > DateTimeOffset.UtcNow.AddSeconds(100)); // not due until the host allows it
    }

    [Fact]
    public async Task Dispatch_ManyDueFeeds_OneMessageEachAndNotAgainWhileQueued()
    {
        await using var services = Instance();
        var feeds = services.GetRequiredService<FeedStore>();
        for (var i = 0; i < 20; i++)
        {
            await feeds.AddAsync($"https://dispatch-{i}.test/rss.xml", Ct);
        }

        var dispatcher = services.GetRequiredService<PollDispatcher>();
        var queue = services.GetRequiredService<PollQueueClient>();

        var first = await dispatcher.RunAsync(Ct);
        var lengthAfterFirst = (await queue.GetStatsAsync(Ct)).Length;
        var second = await dispatcher.RunAsync(Ct);

        Assert.StartsWith("20 feed(s) enqueued on poll-feeds, 0 still queued", first, StringComparison.Ordinal);
        Assert.Equal(20, lengthAfterFirst);
        Assert.StartsWith("0 feed(s) enqueued on poll-feeds, 20 still queued", second, StringComparison.Ordinal);
        Assert.Equal(20, (await queue.GetStatsAsync(Ct)).Length);
    }

    [Fact]
    public async Task PausedFeed_NotEnqueuedAndAQueuedMessageFetchesNothing()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/paused.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://paused.test"));
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Queue:Mode"] = "Queue";
        await using var services = TestServices.Build(settings);
        var feeds = services.GetRequiredService<FeedStore>();
        await feeds.AddAsync(url, Ct);
        var message = new PollFeedMessage(url, DateTimeOffset.UtcNow.AddSeconds(-1)); // enqueued before the pause
        Assert.True(await feeds.SetPausedAsync(url, true, Ct));

        var dispatched = await services.GetRequiredService<PollDispatcher>().RunAsync(Ct);
        var outcome = await services.GetRequiredService<PollService>().PollFeedAsync(message, Ct);

        Assert.StartsWith("0 feed(s) enqueued", dispatched, StringComparison.Ordinal);
        Assert.Equal(QueuedPollStatus.AlreadyDone, outcome.Status);
        Assert.Equal(0, server.Requests);
    }
}
