using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

public sealed class GazetteerTests
{
    [Fact]
    public void DefaultGazetteer_EveryEntry_HasCountryAliasesAndSource()
    {
        var gazetteer = Gazetteers.Get(Gazetteers.DefaultName);

        Assert.True(gazetteer.Entries.Count >= 300, $"{gazetteer.Entries.Count} entries");
        Assert.All(gazetteer.Entries, e =>
        {
            Assert.Contains(e.Country, (string[])["Iran", "North Korea", "Russia"]);
            Assert.True(e.Topic is null or "arms" or "oil", e.Name);
            Assert.NotEmpty(e.Aliases.En);
            Assert.StartsWith("http", e.Source, StringComparison.Ordinal);
        });
        foreach (var lang in new Func<GazetteerAliases, List<string>>[] { a => a.Ru, a => a.Ko, a => a.Fa })
        {
            Assert.True(gazetteer.Entries.Count(e => lang(e.Aliases).Count > 0) >= 50);
        }
    }

    [Fact]
    public void Compile_OwnGazetteer_ImpliesCountryAndTopic()
    {
        var watchlist = WatchlistJson.Parse("""
            {"name":"grain","entities":[{"name":"Ukraine","aliases":["Ukraine"]},{"name":"Egypt","aliases":["Egypt"]}],
             "topics":[{"name":"grain","aliases":["wheat"]}],"links":["receive*"],"rule":{"minEntityGroups":2,"minTopicGroups":1,"minScore":3}}
            """);
        var gazetteer = Gazetteers.Parse("""
            {"version":1,"entries":[{"name":"Odesa port","kind":"port","country":"Ukraine","topic":"grain","description":"Ukrainian grain port",
              "aliases":{"en":["Odesa","Odessa"],"ru":["Одесса"]},"source":"https://example.org/odesa"}]}
            """);

        var result = WatchlistMatcher.Compile(watchlist, gazetteer).Match(new MatchInput("Egypt receives cargo from Odessa", null, null));

        Assert.True(result.Matched, result.Reason);
        Assert.Equal(["Ukraine", "Egypt"], result.Entities);
        Assert.Equal(["grain"], result.Topics);
        Assert.Contains(result.Hits, h => h.Via == "Odesa port → Ukrainian grain port → Ukraine, grain");
    }

    [Fact]
    public void Match_MadeToAnotherCountrysDesign_IsADealingWithIt()
    {
        var matcher = WatchlistMatcher.Compile(WatchlistJson.LoadDefault());

        var result = matcher.Match(new MatchInput("Alabuga plant churns out Iran's Shahed drones", null, null));
        var apart = matcher.Match(new MatchInput("Russia launched Geran drones at Kyiv; Iran denies any role", null, null));

        Assert.True(result.Matched, result.Reason);
        Assert.Contains("made in Russia to a design from Iran", result.Reason, StringComparison.Ordinal);
        Assert.Contains(result.Hits, h => h.Via == "Alabuga → Russia plant → Russia, arms (to Iran's design)");
        Assert.False(apart.Matched, apart.Reason);
    }

    [Fact]
    public void Parse_UnknownGazetteer_NamesTheField()
    {
        var ex = Assert.Throws<WatchlistException>(() => WatchlistJson.Parse("""{"name":"x","gazetteer":"nope","entities":[{"name":"a","aliases":["a"]}]}"""));

        Assert.Equal("gazetteer", ex.Field);
    }
}
