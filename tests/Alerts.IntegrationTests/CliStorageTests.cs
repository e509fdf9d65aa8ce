using Alerts.Cli;
using Alerts.Local;

namespace Alerts.IntegrationTests;

/// <summary>The <c>alerts</c> command against real storage: the admin flow, and what happens when storage is away.</summary>
public sealed class CliStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task PollOnceThenMatches_LoopbackFeed_ShowsSeedMatchesAsJson()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/cli.xml", "application/rss+xml", TestFeeds.Rss([.. TestFeeds.Seeds(), .. TestFeeds.Unrelated], "https://cli.test"));
        var settings = TestServices.Settings(azurite.ConnectionString, null);

        var add = await RunAsync(settings, "feeds", "add", url);
        var poll = await RunAsync(settings, "poll", "--once");
        var matches = await RunAsync(settings, "matches", "--json");
        var list = await RunAsync(settings, "feeds", "list");

        Assert.Equal(0, add.Code);
        Assert.Equal(0, poll.Code);
        Assert.Contains("5 new match(es)", poll.Out);
        Assert.Equal(0, matches.Code);
        var lines = matches.Out.TrimEnd().Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"watchlist\":\"default\"", l));
        Assert.Contains("ok, 11 items", list.Out);
    }

    [Fact]
    public async Task Commands_StorageUnreachable_OneLineExit1()
    {
        var port = LocalTools.FreePort();
        var settings = TestServices.Settings(azurite.ConnectionString.Replace($":{azurite.ConnectionString.Split("127.0.0.1:")[1].Split('/')[0]}/", $":{port}/"), null);

        foreach (var args in new[] { new[] { "feeds", "list" }, ["poll", "--once"], ["matches"] })
        {
            var result = await RunAsync(settings, args);

            Assert.Equal(1, result.Code);
            Assert.Single(result.Err.TrimEnd().Split('\n'));
            Assert.Contains("unreachable", result.Err);
        }
    }

    [Fact]
    public async Task WatchlistsImport_Draft_UsedByCheckAndPoll()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/grain.xml", "application/rss+xml", TestFeeds.Rss([("Kyiv ships wheat to Cairo", "Egypt buys grain from Ukraine.")], "https://grain.test"));
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """
            {"name":"grain","entities":[{"name":"Ukraine","aliases":["Ukraine","Kyiv"]},{"name":"Egypt","aliases":["Egypt","Cairo"]}],
             "topics":[{"name":"grain","aliases":["wheat","grain"]}],"links":["ships","buys"],"rule":{"minEntityGroups":2,"minTopicGroups":1,"minScore":3}}
            """, TestContext.Current.CancellationToken);

        var import = await RunAsync(settings, "watchlists", "import", file);
        var list = await RunAsync(settings, "watchlists", "list");
        var check = await RunAsync(settings, "check", "--text", "Kyiv ships wheat to Cairo", "--watchlist", "grain", "--json");
        await RunAsync(settings, "feeds", "add", url);
        var poll = await RunAsync(settings, "poll");
        var matches = await RunAsync(settings, "matches", "--watchlist", "grain", "--json");
        var export = await RunAsync(settings, "watchlists", "export", "grain");

        Assert.Equal(0, import.Code);
        Assert.Contains("grain", list.Out);
        Assert.Contains("default", list.Out);
        Assert.Contains("\"matched\":true", check.Out);
        Assert.Contains("1 new match(es)", poll.Out);
        Assert.Contains("Kyiv ships wheat to Cairo", matches.Out);
        Assert.Equal("grain", Alerts.Core.Matching.WatchlistJson.Parse(export.Out).Name);
    }

    [Fact]
    public async Task WatchlistsImport_InvalidFile_OneLineNamingTheField()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"name":"x","entities":[{"name":"a","aliases":[]}]}""", TestContext.Current.CancellationToken);

        var result = await RunAsync(TestServices.Settings(azurite.ConnectionString, null), "watchlists", "import", file);

        Assert.Equal(2, result.Code);
        Assert.Equal("alerts: invalid watchlist: entities[0].aliases: at least one alias is required", result.Err.TrimEnd());
    }

    [Fact]
    public async Task FeedsImportExport_DefaultList_RoundTrips()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);

        var imported = await RunAsync(settings, "feeds", "import", "--default");
        var exported = await RunAsync(settings, "feeds", "export");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, exported.Out, TestContext.Current.CancellationToken);
        var again = await RunAsync(settings, "feeds", "import", file);
        var bad = await RunAsync(settings, "feeds", "import", Path.Combine(Paths.Shared, "seeds", "000_7503ffaa2559b002.txt"));

        var count = Alerts.Core.Feeds.Opml.ReadFeedUrls(Alerts.Core.Feeds.Opml.Default()).Count;
        Assert.Equal($"imported {count} new feed(s) of {count}", imported.Out.Trim());
        Assert.Equal($"imported 0 new feed(s) of {count}", again.Out.Trim());
        Assert.Equal(2, bad.Code);
        Assert.StartsWith("alerts: not valid OPML", bad.Err);
    }

    [Fact]
    public async Task SubscribersAdd_UnknownWatchlist_Exit2()
    {
        var result = await RunAsync(TestServices.Settings(azurite.ConnectionString, null), "subscribers", "add", "a@example.com", "--watchlist", "nope");

        Assert.Equal(2, result.Code);
        Assert.Contains("no watchlist named 'nope'", result.Err);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AlertsCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken, settings);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
