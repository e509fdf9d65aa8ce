using Alerts.Core.Matching;
using Alerts.Core.Pages;

namespace Alerts.UnitTests.Pages;

/// <summary>Every hole of a page template is encoded unless it is markup; links only http(s).</summary>
public sealed class HtmlTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\" onmouseover=\"x", "&quot; onmouseover=&quot;x")]
    [InlineData("Iran\u202Eevil", "Iranevil")]
    [InlineData("북한 ایران Россия", "북한 ایران Россия")]
    public void Of_StringHole_Encoded(string text, string expected) =>
        Assert.Equal($"<p title=\"{expected}\">{expected}</p>", Html.Of($"<p title=\"{text}\">{text}</p>").Value);

    [Fact]
    public void Of_MarkupHole_WrittenAsIs()
    {
        var inner = Html.Of($"<b>{"a&b"}</b>");

        Assert.Equal("<p><b>a&amp;b</b></p>", Html.Of($"<p>{inner}</p>").Value);
    }

    private static readonly string[] Items = ["1", "<2>"];

    [Fact]
    public void Of_ListOfMarkup_Concatenated() =>
        Assert.Equal("<ul><li>1</li><li>&lt;2&gt;</li></ul>", Html.Of($"<ul>{Items.Select(x => Html.Of($"<li>{x}</li>")).ToList()}</ul>").Value);

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>")]
    [InlineData("/relative")]
    [InlineData(null)]
    public void ExternalLink_NotHttp_PlainText(string? href) =>
        Assert.DoesNotContain("<a", Html.ExternalLink(href, "title").Value, StringComparison.Ordinal);

    [Fact]
    public void ExternalLink_Https_LinkWithoutReferrer() =>
        Assert.Equal("<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\">T &amp; U</a>", Html.ExternalLink("https://example.com/a?b=1&c=2", "T & U").Value);

    [Fact]
    public void Highlighted_MarksTermsAndEncodesTheRest() =>
        Assert.Equal("&lt;Iran&gt; <mark>ships</mark> oil", Html.Highlighted("<Iran> ships oil", [new Highlight(7, 5)]).Value);

    [Fact]
    public void LineDiff_ChangedLine_RemovedThenAdded()
    {
        var diff = LineDiff.Compute("a\nb\nc", "a\nB\nc\nd");

        Assert.Equal(
            [(LineDiff.Op.Same, "a"), (LineDiff.Op.Removed, "b"), (LineDiff.Op.Added, "B"), (LineDiff.Op.Same, "c"), (LineDiff.Op.Added, "d")],
            diff);
    }

    [Fact]
    public void LineDiff_Render_EncodesLines() =>
        Assert.Contains("+ &lt;x&gt;", LineDiff.Render("a", "<x>").Value, StringComparison.Ordinal);

    [Fact]
    public void MatchChart_CountsEachPairPerDay()
    {
        var day = new DateOnly(2026, 3, 10);
        var at = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        Core.Matches.MatchView Match(params string[] entities) => new("id", "default", "t", null, [], at, at, 5, entities, ["oil"], null, null);

        var chart = MatchChart.From([Match("Iran", "Russia"), Match("Russia", "Iran"), Match("Iran", "North Korea", "Russia"), Match("Iran")], day, 3);

        Assert.Equal(2 + 3, chart.Total);
        Assert.Equal(3, chart.Counts[(day, "Iran – Russia")]);
        Assert.Equal(3, chart.Days.Count);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(chart.Render().Value, "<rect ")); // one bar of three pairs
    }
}
