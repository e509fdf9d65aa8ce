using Alerts.Core.Feeds;

namespace Alerts.UnitTests.Feeds;

public sealed class ArticleTextTests
{
    [Fact]
    public void Extract_RealHomePages_TextWithoutMarkup()
    {
        var folder = Path.Combine(Paths.Shared, "corpus", "feeds", "feedreader", "FeedReader.Tests", "Html");
        foreach (var file in Directory.GetFiles(folder))
        {
            var (_, text) = ArticleText.Extract("https://example.com/", File.ReadAllText(file));

            Assert.False(string.IsNullOrWhiteSpace(text), file);
            Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
