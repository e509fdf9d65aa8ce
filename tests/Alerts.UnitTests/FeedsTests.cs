using System.Net;
using System.Text;
using Alerts.Core.Feeds;

namespace Alerts.UnitTests;

public sealed class SsrfGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("64:ff9b:1::a00:1")]      // local-use NAT64
    [InlineData("2002:7f00:1::1")]        // 6to4 around 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1")]     // 6to4 around 169.254.169.254
    [InlineData("2001:0:4136:e378::1")]   // Teredo
    [InlineData("100::1")]                // discard-only
    [InlineData("::ffff:0:7f00:1")]       // IPv4-translated 127.0.0.1
    public void IsForbidden_InternalAddress_IsTrue(string address) =>
        Assert.True(SsrfGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    public void IsForbidden_PublicAddress_IsFalse(string address) =>
        Assert.False(SsrfGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    [InlineData("ftp://example.com/feed.xml")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("http://user:pass@example.com/")]
    [InlineData("https:x")]
    [InlineData("data:text/html,hi")]
    [InlineData("javascript:alert(1)")]
    public void ParseFetchableUrl_NotHttp_Throws(string url) =>
        Assert.Throws<SsrfException>(() => SsrfGuard.ParseFetchableUrl(url));
}

public sealed class NormalizationTests
{
    [Theory]
    [InlineData("<p>Iran &amp; Russia</p><p>sign a deal</p>", "Iran & Russia\nsign a deal")]
    [InlineData("<script>alert(1)</script>Oil <b>shipments</b>", "Oil shipments")]
    [InlineData("a &amp;amp; b", "a & b")]
    [InlineData("  spaced   out \t text  ", "spaced out text")]
    [InlineData("<!-- hidden -->visible", "visible")]
    [InlineData("ﬁnal", "final")]
    [InlineData("Iran \u202Eliopmi\u202C deal", "Iran liopmi deal")]                 // direction override dropped
    [InlineData("a\u2066b\u2069c\u200Fd", "abcd")]                                  // isolates and marks dropped
    [InlineData("پهپاد\u200Cها", "پهپاد\u200Cها")]                                  // Persian's non-joiner kept
    public void ToPlainText_Html_GivesCleanText(string html, string expected) =>
        Assert.Equal(expected, HtmlText.ToPlainText(html));

    [Theory]
    [InlineData("https://example.com/a?utm_source=x&id=3&utm_medium=y#top", "https://example.com/a?id=3")]
    [InlineData("HTTPS://Example.COM:443/a?fbclid=1", "https://example.com/a")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("/relative", null)]
    public void CanonicalLink_TrackingAndFragment_Removed(string link, string? expected) =>
        Assert.Equal(expected, ItemNormalizer.CanonicalLink(link));

    [Fact]
    public void Normalize_SameGuid_SameKey_HexOnly()
    {
        var a = ItemNormalizer.Normalize(new RawItem("guid-1", "A", "https://x/1", null, null, null), "https://feed", null);
        var b = ItemNormalizer.Normalize(new RawItem("guid-1", "B", "https://x/2", null, null, null), "https://other", null);

        Assert.Equal(a.Key, b.Key);
        Assert.Matches("^[0-9a-f]{32}$", a.Key);
    }

    [Theory]
    [InlineData("Russia ships fuel to North Korea in breach of UN cap - Reuters", "Russia ships fuel to North Korea in breach of UN cap | CNA", true)]
    [InlineData("Russia ships fuel to North Korea in breach of UN cap", "RUSSIA SHIPS FUEL TO NORTH KOREA, IN BREACH OF UN CAP", true)]
    [InlineData("Russia ships fuel to North Korea in breach of UN cap", "Russia ships arms to North Korea in breach of UN cap", false)]
    [InlineData("Live updates", "Live updates", false)]
    public void StoryKey_SameStoryOtherPublisher_SameKey(string a, string b, bool same)
    {
        var ka = ItemNormalizer.StoryKey(a);
        var kb = ItemNormalizer.StoryKey(b);

        Assert.Equal(same, ka is not null && ka == kb);
    }

    [Fact]
    public void Normalize_NoGuid_KeyFromCanonicalLink()
    {
        var a = ItemNormalizer.Normalize(new RawItem(null, "A", "https://x/1?utm_source=rss", null, null, null), "https://feed", null);
        var b = ItemNormalizer.Normalize(new RawItem(null, "A", "https://x/1", null, null, null), "https://feed", null);

        Assert.Equal(a.Key, b.Key);
    }
}

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
