using Alerts.Core.Feeds;

namespace Alerts.UnitTests.Feeds;

public sealed class FeedParserTests
{
    [Fact]
    public void Parse_Rss_ReturnsItems()
    {
        var rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>One</title><link>https://x/1</link><pubDate>garbage</pubDate></item><item><title>Two</title><pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate></item></channel></rss>""";

        var feed = FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes(rss));

        Assert.True(feed.Ok, feed.Error);
        Assert.Equal(["One", "Two"], feed.Items.Select(i => i.Title));
        Assert.Null(feed.Items[0].PublishedAt);
        Assert.Equal(new DateTimeOffset(2003, 6, 10, 4, 0, 0, TimeSpan.Zero), feed.Items[1].PublishedAt);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<!DOCTYPE html><html><body>hi</body></html>", "HTML page")]
    [InlineData("<opml version=\"2.0\"><body/></opml>", "OPML")]
    [InlineData("<rss version=\"2.0\"></rss>", "not a feed")]
    [InlineData("\u001f\u008b\u0008 binary", "not a feed")]
    public void Parse_NotAFeed_GivesOneLineError(string body, string expected)
    {
        var feed = FeedParser.Parse(System.Text.Encoding.Latin1.GetBytes(body));

        Assert.False(feed.Ok);
        Assert.Contains(expected, feed.Error);
        Assert.DoesNotContain('\n', feed.Error!);
    }

    /// <summary>Every file of the shared robustness corpus: a feed or a clear one-line error, never an exception.</summary>
    [Fact]
    public void Parse_EveryCorpusFile_FeedOrClearError()
    {
        var root = Path.Combine(Paths.Shared, "corpus", "feeds");
        var files = Directory.GetDirectories(root).SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)).ToList();
        Assert.True(files.Count > 2300, $"corpus has {files.Count} files");

        int feeds = 0, errors = 0;
        foreach (var file in files)
        {
            var result = FeedParser.Parse(File.ReadAllBytes(file));
            if (result.Ok)
            {
                feeds++;
                foreach (var raw in result.Items)
                {
                    ItemNormalizer.Normalize(raw, "https://corpus.test/feed", result.Language);
                }
            }
            else
            {
                errors++;
                Assert.StartsWith("not a feed", result.Error);
                Assert.DoesNotContain('\n', result.Error!);
            }
        }

        Assert.Equal(files.Count, feeds + errors);
        Assert.True(feeds > 1900, $"only {feeds} of {files.Count} parsed as feeds");
        foreach (var html in Directory.GetFiles(Path.Combine(root, "feedreader", "FeedReader.Tests", "Html")))
        {
            Assert.False(FeedParser.Parse(File.ReadAllBytes(html)).Ok, html);
        }
    }
}
