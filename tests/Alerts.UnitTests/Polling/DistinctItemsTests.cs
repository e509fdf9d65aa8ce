using Alerts.Core.Feeds;
using Alerts.Core.Polling;

namespace Alerts.UnitTests.Polling;

public sealed class DistinctItemsTests
{
    private static NewsItem Item(string guid, string? link) =>
        ItemNormalizer.Normalize(new RawItem(guid, "Title " + guid, link, "summary", null, null), "https://feed.test/rss", "en");

    [Fact]
    public void DistinctItems_LinkOfOneArticle_IdentifiesIt()
    {
        var items = PollService.DistinctItems([Item("a", "https://news.test/2026/11/story?utm_source=rss"), Item("b", "https://news.test/2026/11/other")]);

        Assert.All(items, i => Assert.NotNull(i.LinkKey));
        Assert.Equal(ItemNormalizer.LinkKeyOf("https://news.test/2026/11/story"), items[0].LinkKey); // tracking parameters do not count
    }

    [Fact]
    public void DistinctItems_LinkSharedByItems_IdentifiesNone()
    {
        var items = PollService.DistinctItems([Item("a", "https://news.test/live"), Item("b", "https://news.test/live"), Item("c", "https://news.test/2026/c")]);

        Assert.Equal(3, items.Count);
        Assert.Null(items[0].LinkKey);
        Assert.Null(items[1].LinkKey);
        Assert.NotNull(items[2].LinkKey);
    }

    [Theory]
    [InlineData("https://news.test/")]
    [InlineData("https://news.test")]
    [InlineData(null)]
    public void LinkKeyOf_HomePageOrNone_Null(string? link) =>
        Assert.Null(ItemNormalizer.LinkKeyOf(link is null ? null : ItemNormalizer.CanonicalLink(link)));
}
