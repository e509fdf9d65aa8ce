using System.Text;
using Alerts.Core.Feeds;

namespace Alerts.UnitTests.Feeds;

public sealed class FeedEncodingTests
{
    private static string Corpus(string path) => Path.Combine(Paths.Shared, "corpus", "feeds", path);

    [Theory]
    [InlineData("feedparser/tests/illformed/chardet/koi8r.xml", "Как пережить новогоднюю ночь")]
    [InlineData("feedparser/tests/illformed/chardet/shiftjis.xml", "DrecomRSSに記事投稿が反映されない")]
    [InlineData("feedparser/tests/illformed/chardet/eucjp.xml", "ゲーム三昧な正月")]
    [InlineData("feedparser/tests/illformed/chardet/euckr.xml", "TypeKey 한글닉네임 표시하기")]
    [InlineData("feedparser/tests/illformed/chardet/gb2312.xml", "不归移民漫画系列")]
    [InlineData("feedparser/tests/illformed/chardet/big5.xml", "成中文")]
    [InlineData("feedparser/tests/illformed/chardet/tis620.xml", "สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ")]
    [InlineData("feedparser/tests/illformed/chardet/windows1255.xml", "האם תדפיס נייר של אתר אינטרנט")]
    [InlineData("feedreader/FeedReader.Tests/Feeds/Rss20ISO88591Intranet30.xml", "ä")]
    public void Decode_UndeclaredOrLegacyBytes_GivesPublishersText(string file, string expected)
    {
        var (text, _) = FeedEncoding.Decode(File.ReadAllBytes(Corpus(file)));

        Assert.Contains(expected, text);
        Assert.DoesNotContain('\uFFFD', text);
    }

    [Theory]
    [InlineData("feedparser/tests/encoding/utf-16be.xml", "utf-16be")]
    [InlineData("feedparser/tests/encoding/utf-16le-autodetect.xml", "utf-16le")]
    [InlineData("feedparser/tests/encoding/utf-16le-bom.xml", "utf-16le")]
    [InlineData("feedparser/tests/encoding/utf-32be.xml", "utf-32be")]
    [InlineData("feedparser/tests/encoding/utf-32le-autodetect.xml", "utf-32le")]
    [InlineData("feedparser/tests/encoding/utf-32be-bom.xml", "utf-32be")]
    [InlineData("simplepie/tests/data/feed-utf16le.xml", "utf-16le")]
    [InlineData("feedparser/tests/encoding/euc-kr.xml", "euc-kr")]
    [InlineData("feedparser/tests/encoding/big5.xml", "big5")]
    public void Decode_WideOrDeclared_FindsEncoding(string file, string expected)
    {
        var (text, encoding) = FeedEncoding.Decode(File.ReadAllBytes(Corpus(file)));

        Assert.Equal(expected, encoding);
        Assert.Contains("<", text);
    }

    [Fact]
    public void Parse_DeclaredEucKr_TitleIsKorean()
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Corpus("feedparser/tests/encoding/euc-kr.xml")));

        Assert.True(feed.Ok, feed.Error);
        Assert.Equal("\ub144", feed.Title);
    }

    [Fact]
    public void Parse_Utf16WithoutBomOrDeclaration_ReadsItems()
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Corpus("simplepie/tests/data/feed-utf16be.xml")));

        Assert.True(feed.Ok, feed.Error);
        Assert.Equal("Test feed", feed.Title);
        Assert.Equal("Test feed title 1", feed.Items[0].Title);
    }

    [Fact]
    public void Parse_HttpCharsetOverridesDeclaration()
    {
        var xml = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Пхеньян</title></channel></rss>""";
        FeedEncoding.Decode([]); // registers the code pages provider
        var bytes = Encoding.GetEncoding("koi8-r").GetBytes(xml);

        var feed = FeedParser.Parse(bytes, "application/rss+xml; charset=KOI8-R");

        Assert.Equal("Пхеньян", feed.Title);
    }
}
