using Alerts.Cli;
using Alerts.Core.Matching;
using Alerts.Core.Storage;

namespace Alerts.UnitTests.Cli;

/// <summary>What the CLI writes as JSON is for people too: every script as written, valid JSON all the same.</summary>
public sealed class CliJsonTests
{
    [Fact]
    public void Write_DefaultWatchlist_PersianKoreanRussianAsWritten()
    {
        var json = CliJson.Write(WatchlistStore.Default.Watchlist);

        Assert.Contains("\"ایران", json, StringComparison.Ordinal);
        Assert.Contains("\"북한", json, StringComparison.Ordinal);
        Assert.Contains("\"росси", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Watchlist_ReadsBackTheSame()
    {
        var json = CliJson.Write(WatchlistStore.Default.Watchlist);

        Assert.Equal(WatchlistJson.Write(WatchlistStore.Default.Watchlist), WatchlistJson.Write(WatchlistJson.Parse(json)));
    }

    [Fact]
    public void Line_PlusQuoteAndAngleBrackets_AsWrittenAndOnOneLine()
    {
        var line = CliJson.Line(new { title = "Rosneft +5% on \"deal\" <with> Tehran's" + "\n" + "Пхеньян" });

        Assert.Equal("""{"title":"Rosneft +5% on \"deal\" <with> Tehran's\nПхеньян"}""", line);
    }
}
