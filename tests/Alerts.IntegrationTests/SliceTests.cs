using Alerts.Core.Digests;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests;

/// <summary>The whole slice for real: loopback feed → poll → Azurite → digest → SendGrid (Prism).</summary>
public sealed class SliceTests(AzuriteFixture azurite, PrismFixture prism) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task PollThenDigest_SeedFeed_StoresFiveSendsOnceThenNothingNew()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        var seeds = TestFeeds.Seeds();
        var url = server.Serve("/wire.xml", "application/rss+xml", TestFeeds.Rss([.. seeds, .. TestFeeds.Unrelated], server.BaseUrl));
        var recorder = new SendGridRecorder();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, prism.BaseUrl), recorder);
        await services.GetRequiredService<FeedStore>().AddAsync(url, ct);
        await services.GetRequiredService<SubscriberStore>().UpsertAsync("analyst@example.com", "Analyst", ["default"], "daily@08", confirmed: true, ct);
        var poll = services.GetRequiredService<PollService>();
        var digests = services.GetRequiredService<DigestService>();

        var first = await poll.RunOnceAsync(null, ct);

        Assert.Equal(0, first.Failed);
        Assert.Equal(seeds.Count + TestFeeds.Unrelated.Length, first.NewItems);
        Assert.Equal(5, first.NewMatches);
        var stored = await services.GetRequiredService<MatchStore>().ListAsync("default", null, 100, ct);
        Assert.Equal(seeds.Select(s => s.Title).Order(), stored.Select(m => m.Title).Order());
        Assert.All(stored, m => Assert.Matches("^[0-9a-f]{32}$", m.RowKey));
        Assert.All(stored, m => Assert.DoesNotContain("utm_source", m.Link));
        Assert.All(stored, m => Assert.False(string.IsNullOrEmpty(m.Evidence)));

        var sent = await digests.SendDueAsync(force: true, onlyTo: null, ct);

        Assert.True(sent.Sent == 1, $"sent {sent.Sent}, failed {sent.Failed}: {string.Join("; ", sent.Errors)}");
        var exchange = Assert.Single(recorder.Exchanges);
        Assert.Equal(202, exchange.Status);
        Assert.Null(exchange.Violations);
        Assert.Contains("digest_id", exchange.Body);
        Assert.Contains("\"subject\":\"5 stories: ", exchange.Body);
        Assert.Contains("Will Iran and North Korea Team Up Against US Sanctions?", exchange.Body);

        var second = await poll.RunOnceAsync(null, ct);
        var again = await digests.SendDueAsync(force: true, onlyTo: null, ct);

        Assert.Equal(0, second.NewItems);
        Assert.Equal(0, second.NewMatches);
        Assert.Equal(1, server.NotModified);
        Assert.Equal(0, again.Sent);
        Assert.Single(recorder.Exchanges);
        Assert.Equal(5, (await services.GetRequiredService<MatchStore>().ListAsync("default", null, 100, ct)).Count);
    }

    [Fact]
    public async Task Poll_SameStoryInTwoFeeds_OneMatchWithTwoSources()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        var seed = TestFeeds.Seeds()[1];
        var body = TestFeeds.Rss([seed], "https://syndicated.test");
        var a = server.Serve("/a.xml", "application/rss+xml", body);
        var b = server.Serve("/b.xml", "application/rss+xml", body);
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var feeds = services.GetRequiredService<FeedStore>();
        await feeds.AddAsync(a, ct);
        await feeds.AddAsync(b, ct);

        await services.GetRequiredService<PollService>().RunOnceAsync(null, ct);

        var match = Assert.Single(await services.GetRequiredService<MatchStore>().ListAsync("default", null, 100, ct), m => m.Title == seed.Title);
        Assert.Equal([a, b], match.SourceList.Order());
    }

    [Fact]
    public async Task Poll_SyndicatedCopiesUnderOtherLinks_OneStoryWithAllSources()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        const string Summary = "Tankers loaded diesel at Vostochny for Nampo, satellite images show.";
        var a = server.Serve("/reuters.xml", "application/rss+xml", TestFeeds.Rss([("Russia ships fuel to North Korea in breach of UN cap - Reuters", Summary)], "https://reuters.test"));
        var b = server.Serve("/cna.xml", "application/rss+xml", TestFeeds.Rss([("Russia ships fuel to North Korea in breach of UN cap | CNA", Summary)], "https://cna.test"));
        var c = server.Serve("/wire.xml", "application/rss+xml", TestFeeds.Rss([("North Korea in breach of UN cap: Russia ships fuel", Summary)], "https://wire.test"));
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        foreach (var url in new[] { a, b, c })
        {
            await services.GetRequiredService<FeedStore>().AddAsync(url, ct);
        }

        var summary = await services.GetRequiredService<PollService>().RunOnceAsync(null, ct);

        Assert.Equal(1, summary.NewMatches);
        var story = Assert.Single(await services.GetRequiredService<MatchStore>().ListAsync("default", null, 100, ct));
        Assert.Equal(new[] { a, b, c }.Order(), story.SourceList.Order());
    }

    [Fact]
    public async Task Poll_OneStoryInTwentyFeedsAtOnce_OneMatchWithEverySource()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        var body = TestFeeds.Rss([TestFeeds.Seeds()[2]], "https://wire.test");
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Fetch:Concurrency"] = "16";
        settings["Alerts:Fetch:PerHostConcurrency"] = "16";
        await using var services = TestServices.Build(settings);
        var urls = Enumerable.Range(0, 20).Select(i => server.Serve($"/copy{i}.xml", "application/rss+xml", body)).ToList();
        foreach (var url in urls)
        {
            await services.GetRequiredService<FeedStore>().AddAsync(url, ct);
        }

        var summary = await services.GetRequiredService<PollService>().RunOnceAsync(null, ct);

        Assert.Equal(0, summary.Failed);
        Assert.Equal(1, summary.NewMatches);
        var story = Assert.Single(await services.GetRequiredService<MatchStore>().ListAsync("default", null, 100, ct));
        Assert.Equal(urls.Order(), story.SourceList.Order());
    }

    [Fact]
    public async Task Poll_BrokenFeeds_RecordedPerFeedWithoutStoppingOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        var good = server.Serve("/good.xml", "application/rss+xml", TestFeeds.Rss([TestFeeds.Seeds()[0]], "https://good.test"));
        var html = server.Serve("/page.html", "text/html", "<!DOCTYPE html><html><body>Not a feed</body></html>"u8.ToArray());
        var missing = server.BaseUrl + "/missing.xml";
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var feeds = services.GetRequiredService<FeedStore>();
        foreach (var u in new[] { good, html, missing })
        {
            await feeds.AddAsync(u, ct);
        }

        var summary = await services.GetRequiredService<PollService>().RunOnceAsync(null, ct);

        var byUrl = summary.Results.ToDictionary(r => r.FeedUrl);
        Assert.True(byUrl[good].Ok);
        Assert.Equal("not a feed: the response is an HTML page", byUrl[html].Error);
        Assert.StartsWith("HTTP 404", byUrl[missing].Error);
        var health = (await feeds.ListAsync(ct)).ToDictionary(f => f.Url);
        Assert.Equal(1, health[missing].ConsecutiveFailures);
        Assert.Equal(404, health[missing].LastStatus);
        Assert.Equal(0, health[good].ConsecutiveFailures);
    }

    [Fact]
    public async Task Digest_NoApiKey_WritesEmlToOutbox()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FeedServer.StartAsync();
        var seed = TestFeeds.Seeds()[3];
        var url = server.Serve("/eml.xml", "application/rss+xml", TestFeeds.Rss([seed], "https://eml.test"));
        var outbox = Path.Combine(Path.GetTempPath(), "alerts-outbox-" + Guid.NewGuid().ToString("N"));
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null, outbox));
        await services.GetRequiredService<FeedStore>().AddAsync(url, ct);
        await services.GetRequiredService<SubscriberStore>().UpsertAsync("eml-reader@example.com", null, ["default"], "immediate", confirmed: true, ct);
        await services.GetRequiredService<PollService>().RunOnceAsync(null, ct);

        var result = await services.GetRequiredService<DigestService>().SendDueAsync(force: false, onlyTo: "eml-reader@example.com", ct);

        Assert.Equal(1, result.Sent);
        var eml = Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        var message = await MimeKit.MimeMessage.LoadAsync(eml, ct);
        Assert.Equal("eml-reader@example.com", message.To.Mailboxes.Single().Address);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(seed.Title), message.HtmlBody);
        Assert.Contains(seed.Title, message.TextBody);
        Assert.Contains("<strong", message.HtmlBody); // the evidence sentence, highlighted
    }
}
