using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

public sealed class MatcherTests
{
    private static readonly WatchlistMatcher Default = WatchlistMatcher.Compile(WatchlistJson.LoadDefault());

    public static TheoryData<string> SeedFiles() => [.. Directory.GetFiles(Paths.Seeds, "*.txt").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public void Match_SeedArticle_IsFlagged(string file)
    {
        var text = File.ReadAllText(Path.Combine(Paths.Seeds, file));

        var result = Default.Match(new MatchInput(null, null, text));

        Assert.True(result.Matched, $"{file}: {result.Reason}");
        Assert.True(result.Entities.Count >= 2);
        Assert.NotEmpty(result.Topics);
        Assert.NotNull(result.Evidence);
    }

    [Theory]
    [InlineData("Tehran agrees to supply Pyongyang with crude oil", true)]
    [InlineData("North Korean shells shipped to Russia by rail, satellite images show", true)]
    [InlineData("Iranian drones delivered to Moscow for use in Ukraine", true)]
    [InlineData("Russia resumes refined petroleum exports to the DPRK", true)]
    [InlineData("Iran-made Shahed drones and North Korean-made missiles fired by Russia at Kyiv", true)]
    [InlineData("Iran-made Shahed drones and North Korean-made missiles on display in Tehran", false)]
    [InlineData("Россия поставляет нефть в КНДР", true)]
    [InlineData("북한, 러시아에 포탄 수백만 발 공급", true)]
    [InlineData("ایران به روسیه پهپاد ارسال کرد", true)]
    [InlineData("North Korea test-fires a ballistic missile into the sea", false)]
    [InlineData("South Korea and Russia discuss oil and gas cooperation", false)]
    [InlineData("Korean Air orders new jets; oil prices fall", false)]
    [InlineData("Iran raises oil output as prices climb", false)]
    [InlineData("Russia and North Korea hold talks on tourism", false)]
    [InlineData("Turmoil in Tehran as farms suffer in Russia drought", false)]
    public void Match_Headline_FlagsOnlyDealings(string title, bool expected)
    {
        var result = Default.Match(new MatchInput(title, null, null));

        Assert.True(expected == result.Matched, $"{title}: {result.Reason} (score {result.Score})");
    }

    [Theory]
    [InlineData("the turmoil grew", "oil")]
    [InlineData("new farms opened", "arms")]
    [InlineData("Iranianism is a word", "Iran")]
    [InlineData("Moscowitz spoke", "Moscow")]
    public void Match_PartOfAnotherWord_IsNoHit(string text, string alias)
    {
        var result = Default.Match(new MatchInput(null, null, text));

        Assert.DoesNotContain(result.Hits, h => h.Alias == alias);
    }

    [Theory]
    [InlineData("Iran's drones", "Iran", 0, 4)]
    [InlineData("North Korean-made rockets", "North Korean", 0, 12)]
    [InlineData("the Iran-made drones", "Iran", 4, 4)]
    [InlineData("dozens of missiles", "missile", 10, 8)]
    [InlineData("NORTH KOREA said", "North Korea", 0, 11)]
    [InlineData("talks with N. Korea today", "N. Korea", 11, 8)]
    [InlineData("exports to Kim Jong-un", "Kim Jong Un", 11, 11)]
    [InlineData("поставки в России сегодня", "Россия", 11, 6)]
    [InlineData("북한이 러시아에", "북한", 0, 3)]
    [InlineData("ship-to-ship transfers", "ship-to-ship", 0, 12)]
    public void Match_Variant_HitsAliasAtOffsets(string text, string alias, int start, int length)
    {
        var result = Default.Match(new MatchInput(null, null, text));

        var hit = Assert.Single(result.Hits, h => h.Alias == alias);
        Assert.Equal((start, length), (hit.Start, hit.Length));
        Assert.Equal(text.Substring(start, length), hit.Term);
        Assert.Equal(ItemField.Content, hit.Field);
    }

    [Fact]
    public void Match_Exclusion_RemovesCoveredHit()
    {
        var result = Default.Match(new MatchInput(null, null, "A round of Russian roulette with olive oil"));

        Assert.DoesNotContain(result.Hits, h => h.Group is "Russia" or "oil");
    }

    [Fact]
    public void Match_HtmlEntitiesAndTitleField_ReportsFieldAndOffsets()
    {
        var result = Default.Match(new MatchInput("Pyongyang sends shells to Moscow", "Iran watches.", null));

        Assert.True(result.Matched, result.Reason);
        Assert.Contains(result.Hits, h => h is { Field: ItemField.Title, Alias: "Pyongyang", Start: 0 });
        Assert.Contains(result.Hits, h => h is { Field: ItemField.Summary, Alias: "Iran", Start: 0 });
        Assert.Equal(ItemField.Title, result.Evidence!.Field);
        Assert.Contains(result.Evidence.Highlights, h => result.Evidence.Sentence.Substring(h.Start, h.Length) == "shells");
    }

    [Fact]
    public void Match_NoHit_ReturnsSharedResultWithoutAllocating()
    {
        var input = new MatchInput("Weather", "Sunny spells across the country", "Nothing to see here at all.");
        Default.Match(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = Default.Match(input);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(result.Matched);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Match_SameMatcherOnManyThreads_GivesSameResults()
    {
        var text = File.ReadAllText(Directory.GetFiles(Paths.Seeds, "*.txt").Order().First());
        var expected = Default.Match(new MatchInput(null, null, text));

        var results = Enumerable.Range(0, 64).AsParallel().Select(_ => Default.Match(new MatchInput(null, null, text))).ToList();

        Assert.All(results, r => Assert.Equal(expected.Hits, r.Hits));
    }

    [Theory]
    [InlineData("""{"name":"Bad Name","entities":[{"name":"a","aliases":["x"]}]}""", "name")]
    [InlineData("""{"name":"x","entities":[]}""", "entities")]
    [InlineData("""{"name":"x","entities":[{"name":"a","aliases":[]}]}""", "entities[0].aliases")]
    [InlineData("""{"name":"x","entities":[{"name":"a","aliases":["--"]}]}""", "entities[0].aliases[0]")]
    [InlineData("""{"name":"x","entities":[{"name":"a","aliases":["a*b"]}]}""", "entities[0].aliases[0]")]
    [InlineData("""{"name":"x","entities":[{"name":"a","aliases":["a"]}],"rule":{"minEntityGroups":3}}""", "rule.minEntityGroups")]
    [InlineData("""{"name":"x","entities":[{"name":"a","aliases":["a"]}],"bogus":1}""", "$.bogus")]
    [InlineData("""{"name":"x","entities":[{"name":"a","aliases":"a"}]}""", "$.entities[0].aliases")]
    public void Parse_InvalidWatchlist_NamesTheField(string json, string field)
    {
        var ex = Assert.Throws<WatchlistException>(() => WatchlistJson.Parse(json));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Compile_DraftWatchlist_MatchesItsOwnTerms()
    {
        var draft = WatchlistJson.Parse("""
            {"name":"grain","entities":[{"name":"Ukraine","aliases":["Ukraine","Kyiv"]},{"name":"Egypt","aliases":["Egypt","Cairo"]}],
             "topics":[{"name":"grain","aliases":["wheat","grain"]}],"rule":{"minEntityGroups":2,"minTopicGroups":1}}
            """);

        var result = WatchlistMatcher.Compile(draft).Match(new MatchInput("Kyiv ships wheat to Cairo", null, null));

        Assert.True(result.Matched, result.Reason);
        Assert.Equal(["Ukraine", "Egypt"], result.Entities);
    }
}
