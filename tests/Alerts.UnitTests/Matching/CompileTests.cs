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
        // Issue #10.6: de-duplication scanned every earlier alias, so 200,000 aliases took minutes.
        var random = new Random(7);
        string Word() => new([.. Enumerable.Range(0, random.Next(6, 13)).Select(_ => (char)('a' + random.Next(26)))]);
        var aliases = Enumerable.Range(0, 200_000).Select(i => i % 2 == 0 ? Word() : $"{Word()} {Word()}").ToList();
        aliases.Add(aliases[0].ToUpperInvariant()); // folds onto the first: one term
        var watchlist = new Watchlist
        {
            Name = "large",
            Entities = [new TermGroup { Name = "a", Aliases = ["Iran"] }, new TermGroup { Name = "listed", Aliases = aliases }],
            Rule = new MatchRule { MinEntityGroups = 1, MinTopicGroups = 0 },
        };

        var clock = Stopwatch.StartNew();
        var matcher = WatchlistMatcher.Compile(watchlist);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"compiled in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(aliases.Distinct(StringComparer.OrdinalIgnoreCase).Count() + 1, matcher.TermCount);
        Assert.True(matcher.Match(new MatchInput(null, null, $"the {aliases[1]} company")).Matched);
    }
}
