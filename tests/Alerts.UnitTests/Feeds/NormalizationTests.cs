using Alerts.Core.Feeds;

namespace Alerts.UnitTests.Feeds;

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
