using Alerts.Core.Feeds;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Cli;

/// <summary><c>alerts feeds</c>: OPML in and out, and private addresses said at once, allowed per feed.</summary>
[Collection(CliStorage.Name)]
public sealed class FeedsCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task FeedsImportExport_DefaultList_RoundTrips()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);

        var imported = await CliStorage.RunAsync(settings, "feeds", "import", "--default");
        var exported = await CliStorage.RunAsync(settings, "feeds", "export");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, exported.Out, TestContext.Current.CancellationToken);
        var again = await CliStorage.RunAsync(settings, "feeds", "import", file);
        var bad = await CliStorage.RunAsync(settings, "feeds", "import", Path.Combine(Paths.Shared, "seeds", "000_7503ffaa2559b002.txt"));

        var count = Opml.ReadFeedUrls(Opml.Default()).Count;
        Assert.Equal($"imported {count} new feed(s) of {count}", imported.Out.Trim());
        Assert.Equal($"imported 0 new feed(s) of {count}", again.Out.Trim());
        Assert.Equal(2, bad.Code);
        Assert.StartsWith("alerts: not valid OPML", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeedsAdd_LoopbackFeed_RefusedAtOnceUnlessAllowedThenPolledForGood()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/intranet.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://intranet.test"));
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Fetch:AllowPrivateNetworks"] = "false"; // the production default

        var refused = await CliStorage.RunAsync(settings, "feeds", "add", url);
        var allowed = await CliStorage.RunAsync(settings, "feeds", "add", url, "--allow-private");
        var poll = await CliStorage.RunAsync(settings, "poll"); // a later process: the allowance is the feed's, not this command's
        var list = await CliStorage.RunAsync(settings, "feeds", "list");

        Assert.Equal(2, refused.Code);
        Assert.Single(refused.Err.TrimEnd().Split('\n'));
        Assert.Contains("--allow-private", refused.Err, StringComparison.Ordinal);
        Assert.Equal(0, allowed.Code);
        Assert.Equal(0, poll.Code);
        Assert.StartsWith($"ok    {url}  5 items", poll.Out, StringComparison.Ordinal);
        Assert.Contains("(private network allowed)", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeedsListThenRetry_PoisonMessages_ListedThenRequeuedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        await using var services = TestServices.Build(settings);
        var queues = services.GetRequiredService<QueueStorage>();
        var poison = await queues.GetAsync(QueueNames.PollFeedsPoison, ct);
        await poison.SendMessageAsync(new PollFeedMessage("https://poisoned.test/rss.xml", DateTimeOffset.UtcNow).ToJson(), ct);
        await poison.SendMessageAsync("not a poll message", ct);

        var list = await CliStorage.RunAsync(settings, "feeds", "list");
        var retry = await CliStorage.RunAsync(settings, "feeds", "retry");
        var again = await CliStorage.RunAsync(settings, "feeds", "retry");
        var stats = await services.GetRequiredService<PollQueueClient>().GetStatsAsync(ct);

        Assert.Equal(0, list.Code);
        Assert.Contains("2 poll message(s) failed every delivery (poll-feeds-poison); requeue them with: alerts feeds retry", list.Out, StringComparison.Ordinal);
        Assert.Contains("  poison  https://poisoned.test/rss.xml  since ", list.Out, StringComparison.Ordinal);
        Assert.Equal("requeued 1 feed(s) on poll-feeds; dropped 1 unreadable message(s)", retry.Out.Trim());
        Assert.Equal("requeued 0 feed(s) on poll-feeds", again.Out.Trim());
        Assert.Equal((1, 0), (stats.Length, stats.Poison));
    }
}
