using System.Text;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Polling;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests;

/// <summary>Near misses get their article fetched (from a loopback server), once, within the cycle's cap.</summary>
public sealed class ArticleSecondLookTests
{
    private const string Article = """
        <html><head><title>Tankers</title></head><body><nav>Home | World | Sport</nav>
        <article><h1>Tankers at Vostochny</h1>
        <p>Satellite images reviewed by analysts show North Korean tankers loading refined oil at the Russian port of Vostochny on three occasions this month.</p>
        <p>Russia has shipped more than a million barrels of oil to North Korea since March, in breach of the UN cap, according to the researchers.</p>
        <p>The cargoes were paid for with artillery shells, officials in Seoul said.</p>
        </article><footer>Contact us</footer></body></html>
        """;

    private static readonly WatchlistMatcher Default = WatchlistMatcher.Compile(WatchlistJson.LoadDefault());

    private static ServiceProvider Services(bool fetchArticles = true, int perCycle = 50)
    {
        var settings = TestServices.Settings("UseDevelopmentStorage=true", null);
        settings["Alerts:Matching:FetchArticles"] = fetchArticles.ToString();
        settings["Alerts:Matching:MaxArticlesPerCycle"] = perCycle.ToString();
        return TestServices.Build(settings);
    }

    private static NewsItem Item(string key, string link) =>
        new(key, key, "http://feed.test/rss", "Satellite images show tankers at Russian port", "The ships are linked to North Korea, analysts say.", "", link, null, "en");

    [Fact]
    public async Task Rescore_NearMissWithArticle_MatchesAndSaysItUsedTheArticle()
    {
        await using var server = await FeedServer.StartAsync();
        var link = server.Serve("/story", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(Article));
        await using var services = Services();
        var secondLook = services.GetRequiredService<ArticleSecondLook>();
        var item = Item("a1", link);
        var first = Default.Match(new MatchInput(item.Title, item.Summary, null));

        var result = await secondLook.RescoreAsync(item, Default, first, TestContext.Current.CancellationToken);

        Assert.False(first.Matched, first.Reason);
        Assert.True(ArticleSecondLook.IsNearMiss(first));
        Assert.True(result.Matched, result.Reason);
        Assert.Equal(link, result.Article);
        Assert.Contains("scored on the article", result.Reason, StringComparison.Ordinal);
        Assert.Contains(result.Hits, h => h.Field == ItemField.Content && h.Term == "shipped");
        Assert.DoesNotContain(result.Hits, h => h.Term.Contains("Contact", StringComparison.Ordinal)); // SmartReader kept the article only
    }

    [Fact]
    public async Task Rescore_SameItemTwiceAndACapOfOne_FetchesOnceAndNoMore()
    {
        await using var server = await FeedServer.StartAsync();
        var link = server.Serve("/story", "text/html", Encoding.UTF8.GetBytes(Article));
        var other = server.Serve("/other", "text/html", Encoding.UTF8.GetBytes(Article));
        await using var services = Services(perCycle: 1);
        var secondLook = services.GetRequiredService<ArticleSecondLook>();
        var item = Item("a1", link);
        var first = Default.Match(new MatchInput(item.Title, item.Summary, null));
        secondLook.BeginCycle();

        var once = await secondLook.RescoreAsync(item, Default, first, TestContext.Current.CancellationToken);
        var again = await secondLook.RescoreAsync(item, Default, first, TestContext.Current.CancellationToken);
        var capped = await secondLook.RescoreAsync(Item("a2", other), Default, first, TestContext.Current.CancellationToken);
        secondLook.BeginCycle();
        var nextCycle = await secondLook.RescoreAsync(Item("a2", other), Default, first, TestContext.Current.CancellationToken);

        Assert.True(once.Matched && again.Matched, once.Reason);
        Assert.Null(capped.Article);
        Assert.NotNull(nextCycle.Article);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Rescore_QueueConsumerWithoutCycles_BudgetStartsAgainAfterTheWindow()
    {
        await using var server = await FeedServer.StartAsync();
        var links = Enumerable.Range(0, 3).Select(i => server.Serve($"/story{i}", "text/html", Encoding.UTF8.GetBytes(Article))).ToList();
        await using var services = Services(perCycle: 1);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var secondLook = new ArticleSecondLook(
            services.GetRequiredService<FeedFetcher>(),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MatchingOptions>>(),
            clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ArticleSecondLook>.Instance);
        var nearMiss = Default.Match(new MatchInput(Item("x", links[0]).Title, Item("x", links[0]).Summary, null));
        var ct = TestContext.Current.CancellationToken;

        var first = await secondLook.RescoreAsync(Item("q0", links[0]), Default, nearMiss, ct);
        var spent = await secondLook.RescoreAsync(Item("q1", links[1]), Default, nearMiss, ct);
        clock.Advance(ArticleSecondLook.Window);
        var renewed = await secondLook.RescoreAsync(Item("q2", links[2]), Default, nearMiss, ct);

        Assert.NotNull(first.Article);
        Assert.Null(spent.Article);
        Assert.NotNull(renewed.Article);
    }

    [Fact]
    public async Task Rescore_SettingOffOrNoParty_FetchesNothing()
    {
        await using var server = await FeedServer.StartAsync();
        var link = server.Serve("/story", "text/html", Encoding.UTF8.GetBytes(Article));
        await using var off = Services(fetchArticles: false);
        await using var on = Services();
        var item = Item("a1", link);
        var nearMiss = Default.Match(new MatchInput(item.Title, item.Summary, null));
        var unrelated = Default.Match(new MatchInput("Weather: sunny spells in the capital", null, null));

        var whenOff = await off.GetRequiredService<ArticleSecondLook>().RescoreAsync(item, Default, nearMiss, TestContext.Current.CancellationToken);
        var noParty = await on.GetRequiredService<ArticleSecondLook>().RescoreAsync(item, Default, unrelated, TestContext.Current.CancellationToken);

        Assert.Same(nearMiss, whenOff);
        Assert.Same(unrelated, noParty);
        Assert.Equal(0, server.Requests);
    }
}
