using System.Text;
using Alerts.Core.Feeds;

namespace Alerts.UnitTests.Feeds;

public sealed class OpmlTests
{
    [Fact]
    public void Default_ShipsHttpsFeeds()
    {
        var urls = Opml.ReadFeedUrls(Opml.Default());

        Assert.True(urls.Count >= 15, $"{urls.Count} feeds");
        Assert.All(urls, u => Assert.StartsWith("https://", u));
        Assert.Equal(urls.Count, urls.Distinct().Count());
    }

    [Fact]
    public void ReadFeedUrls_CorpusOpmlFiles_ReadsOutlines()
    {
        var folder = Path.Combine(Paths.Shared, "corpus", "feeds", "rome", "rome-opml", "src", "test", "resources");
        var total = 0;
        foreach (var file in Directory.GetFiles(folder))
        {
            try
            {
                total += Opml.ReadFeedUrls(File.OpenRead(file)).Count;
            }
            catch (OpmlException ex)
            {
                Assert.DoesNotContain('\n', ex.Message);
            }
        }

        Assert.True(total > 0);
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"/>", "not OPML: the root element is <rss>")]
    [InlineData("<opml><body><outline xmlUrl=\"file:///etc/passwd\"/></body></opml>", "outline 'file:///etc/passwd': scheme 'file' is not allowed: only http and https")]
    [InlineData("<opml", "not valid OPML")]
    public void ReadFeedUrls_Bad_ClearError(string xml, string expected)
    {
        var ex = Assert.Throws<OpmlException>(() => Opml.ReadFeedUrls(new MemoryStream(Encoding.UTF8.GetBytes(xml))));

        Assert.StartsWith(expected, ex.Message);
    }
}
