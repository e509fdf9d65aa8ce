using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

public sealed class WatchlistJsonTests
{
    [Fact]
    public void Write_Scope_LowerCaseAsDocumented()
    {
        var watchlist = WatchlistJson.LoadDefault();
        watchlist.Rule.Scope = MatchScope.Sentence;

        Assert.Contains("\"scope\": \"sentence\"", WatchlistJson.Write(watchlist), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Document", MatchScope.Document)] // as watchlists stored before were written
    [InlineData("window", MatchScope.Window)]
    public void Parse_ScopeInAnyCase_Loads(string scope, MatchScope expected)
    {
        var json = WatchlistJson.Write(WatchlistJson.LoadDefault()).Replace("\"scope\": \"document\"", $"\"scope\": \"{scope}\"", StringComparison.Ordinal);

        Assert.Equal(expected, WatchlistJson.Parse(json).Rule.Scope);
    }
}
