using System.Diagnostics;
using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

/// <summary>Timed alone: tests running beside it on two cores would measure them, not the compile.</summary>
[CollectionDefinition(nameof(CompileTests), DisableParallelization = true)]
[Collection(nameof(CompileTests))]
public sealed class CompileTests
{
    [Fact]
    public void Compile_200000Aliases_FinishesInLinearTime()
    {
        // Issue #10.6: de-duplication scanned every earlier alias, so 200,000 aliases took minutes. Ten times the
        // aliases must cost about ten times the time, not a hundred. The small list is timed before and after the
        // large one and the slower time counts: a wall-clock bound alone failed in a fresh clone (21.7 s instead of
        // about 4) while the integration tests started Azurite and Prism on the same two cores.
        var large = Aliases(200_000);
        large.Add(large[0].ToUpperInvariant()); // folds onto the first: one term
        var small = Aliases(20_000);

        var before = TimeCompile(small, out _);
        var largeTime = TimeCompile(large, out var matcher);
        var after = TimeCompile(small, out _);
        var smallTime = before > after ? before : after;

        var ratio = largeTime / smallTime;
        Assert.True(ratio < 40, $"20,000 aliases compiled in {smallTime.TotalSeconds:0.00} s, 200,000 in {largeTime.TotalSeconds:0.00} s ({ratio:0}×)");
        Assert.Equal(large.Distinct(StringComparer.OrdinalIgnoreCase).Count() + 1, matcher.TermCount);
        Assert.True(matcher.Match(new MatchInput(null, null, $"the {large[1]} company")).Matched);
    }

    private static List<string> Aliases(int count)
    {
        var random = new Random(7 + count);
        string Word() => new([.. Enumerable.Range(0, random.Next(6, 13)).Select(_ => (char)('a' + random.Next(26)))]);
        return [.. Enumerable.Range(0, count).Select(i => i % 2 == 0 ? Word() : $"{Word()} {Word()}")];
    }

    private static TimeSpan TimeCompile(List<string> aliases, out WatchlistMatcher matcher)
    {
        var watchlist = new Watchlist
        {
            Name = "large",
            Entities = [new TermGroup { Name = "a", Aliases = ["Iran"] }, new TermGroup { Name = "listed", Aliases = aliases }],
            Rule = new MatchRule { MinEntityGroups = 1, MinTopicGroups = 0 },
        };

        var clock = Stopwatch.StartNew();
        matcher = WatchlistMatcher.Compile(watchlist);
        return clock.Elapsed;
    }
}
