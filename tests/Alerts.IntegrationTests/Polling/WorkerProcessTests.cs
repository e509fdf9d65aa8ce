using System.Diagnostics;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Polling;

/// <summary>
/// At-least-once delivery with real processes: <c>alerts worker</c> started twice from the built binary
/// against one Azurite, as two Functions instances would share one storage account. Leases are short
/// here (a message comes back 2 s after its consumer dies, a claim lapses after 3 s) so that the
/// recoveries happen within the test.
/// </summary>
public sealed class WorkerProcessTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Queue:MessageLeaseSeconds"] = "2";
        settings["Alerts:Queue:FeedClaimSeconds"] = "3";
        settings["Alerts:Queue:MaxPollingIntervalSeconds"] = "1";
        settings["Alerts:Queue:VisibilityTimeoutSeconds"] = "1";
        settings["Alerts:Fetch:TimeoutSeconds"] = "20";
        settings["Alerts:Fetch:PerHostConcurrency"] = "8";
        return settings;
    }

    private static Task<AlertsProcess> WorkerAsync(Dictionary<string, string?> settings) => AlertsProcess.StartAsync(settings, "worker consuming", "worker");

    [Fact]
    public async Task TwoWorkers_EveryMessageDeliveredTwiceToBoth_EachFeedFetchedOnceEachStoryStoredOnce()
    {
        await using var server = await FeedServer.StartAsync();
        var seeds = TestFeeds.Seeds();
        // Six feeds of two seed stories each: every story is carried by two or three feeds, so sources merge across workers.
        // Each answers after 300 ms, so that the two copies of a message, taken one at a time by the two workers, are in flight together.
        var urls = Enumerable.Range(0, 6).Select(i =>
        {
            var body = TestFeeds.Rss([seeds[i % seeds.Count], seeds[(i + 1) % seeds.Count]], $"https://w{i}.test");
            return server.ServeSlowly($"/w{i}.xml", body, TimeSpan.FromMilliseconds(300));
        }).ToList();
        var settings = Settings();
        settings["Alerts:Queue:BatchSize"] = "1"; // one message at a time per worker: copies of one feed go to both workers
        settings["Alerts:Queue:NewBatchThreshold"] = "0";
        await using var services = TestServices.Build(settings);
        foreach (var url in urls)
        {
            await services.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        }

        var queue = services.GetRequiredService<PollQueueClient>();
        var enqueuedAt = DateTimeOffset.UtcNow;
        await using (await WorkerAsync(settings))
        await using (await WorkerAsync(settings))
        {
            foreach (var url in urls)
            {
                await queue.EnqueueAsync([url, url], enqueuedAt, Ct); // the same message twice, side by side: a second delivery
            }

            await DrainedAsync(services, urls, TimeSpan.FromSeconds(40));
        }

        Assert.Equal(urls.Count, server.Requests);
        var stories = await services.GetRequiredService<MatchStore>().ListAsync("default", null, 100, Ct);
        // A title long enough to fingerprint is one story whichever feeds carry it; a short one is a story per feed.
        var carried = Enumerable.Range(0, urls.Count).SelectMany(i => new[] { i % seeds.Count, (i + 1) % seeds.Count }).ToList();
        var expected = Enumerable.Range(0, seeds.Count).Sum(k => Alerts.Core.Feeds.ItemNormalizer.StoryKey(seeds[k].Title) is null ? carried.Count(c => c == k) : 1);
        Assert.Equal(expected, stories.Count);
        Assert.Equal(stories.Count, stories.Select(s => s.StoryKey).Distinct().Count());
        Assert.All(stories, s => Assert.Equal(s.SourceList.Count, s.SourceList.Distinct().Count()));
        Assert.Equal(urls.Count * 2, stories.Sum(s => s.SourceList.Count)); // every feed is a source of its two stories, once
        Assert.Equal(0, (await queue.GetStatsAsync(Ct)).Poison);
    }

    [Fact]
    public async Task Worker_KilledMidFetch_AnotherWorkerPollsTheFeed_NothingLostNothingTwice()
    {
        await using var server = await FeedServer.StartAsync();
        var body = TestFeeds.Rss(TestFeeds.Seeds(), "https://killed.test");
        var fetching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var url = server.Handle("/killed.xml", async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                fetching.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted); // the first consumer dies while it waits here
                return;
            }

            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
        var settings = Settings();
        await using var services = TestServices.Build(settings);
        await services.GetRequiredService<FeedStore>().AddAsync(url, Ct);
        await services.GetRequiredService<PollQueueClient>().EnqueueAsync([url], DateTimeOffset.UtcNow, Ct);

        var first = await WorkerAsync(settings);
        await fetching.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await first.KillAsync();
        await first.DisposeAsync();
        await using (await WorkerAsync(settings))
        {
            await DrainedAsync(services, [url], TimeSpan.FromSeconds(40));
        }

        Assert.Equal(2, calls);
        var stories = await services.GetRequiredService<MatchStore>().ListAsync("default", null, 100, Ct);
        Assert.Equal(5, stories.Count);
        Assert.All(stories, s => Assert.Equal([url], s.SourceList));
        var feed = await services.GetRequiredService<FeedStore>().GetAsync(url, Ct);
        Assert.Equal((0, 5), (feed!.ConsecutiveFailures, feed.ItemCount));
        Assert.Null(feed.ClaimedUntil);
    }

    /// <summary>Waits until every feed was polled successfully and no message is left, visible or not.</summary>
    private static async Task DrainedAsync(IServiceProvider services, List<string> urls, TimeSpan limit)
    {
        var feeds = services.GetRequiredService<FeedStore>();
        var queue = await services.GetRequiredService<QueueStorage>().GetAsync(QueueNames.PollFeeds, Ct);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            var polled = 0;
            foreach (var url in urls)
            {
                polled += (await feeds.GetAsync(url, Ct))?.LastSuccessAt is not null ? 1 : 0;
            }

            if (polled == urls.Count && (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount == 0)
            {
                return;
            }

            await Task.Delay(250, Ct);
        }

        throw new TimeoutException($"the workers did not poll every feed and empty the queue in {limit.TotalSeconds} s");
    }
}
