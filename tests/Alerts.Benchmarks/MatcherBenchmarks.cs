using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Alerts.Core.Matching;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Alerts.Benchmarks;

/// <summary>
/// The matcher against two peers in the same run, on the same texts: one Regex alternation of every
/// alias and gazetteer name (\b…\b, IgnoreCase), compiled backtracking (the baseline) and
/// NonBacktracking (the strongest .NET peer: a DFA, linear in the text); and the default watchlist
/// against one with 10,000 more aliases. The matcher's figure is the full Match: scan, word forms,
/// scoring and the explanation.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MatcherBenchmarks
{
    private string[] _texts = [];
    private WatchlistMatcher _default = null!;
    private WatchlistMatcher _large = null!;
    private Regex _regex = null!;
    private Regex _nonBacktracking = null!;

    [Params("seeds", "feeds")]
    public string Text { get; set; } = "seeds";

    [GlobalSetup]
    public void Setup()
    {
        _texts = Texts.Load(Text);
        var watchlist = WatchlistJson.LoadDefault();
        _default = WatchlistMatcher.Compile(watchlist);
        _large = WatchlistMatcher.Compile(WithGeneratedAliases(watchlist, 10_000));
        var gazetteer = watchlist.Gazetteer is { } name ? Gazetteers.Get(name).Entries.SelectMany(e => e.Aliases.All) : [];
        var aliases = watchlist.Entities.SelectMany(g => g.Aliases).Concat(watchlist.Topics.SelectMany(g => g.Aliases)).Concat(gazetteer)
            .Concat(watchlist.Links).Concat(watchlist.Agreements).Concat(watchlist.Uses).Concat(watchlist.ThirdParties)
            .Select(a => a.TrimEnd('*')).Distinct().OrderByDescending(a => a.Length).Select(Regex.Escape);
        var pattern = @"\b(?:" + string.Join("|", aliases) + @")\b";
        _regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.Compiled | RegexOptions.CultureInvariant);
        // The alternation of every alias and gazetteer name is past NonBacktracking's default 10,000-node
        // limit; the documented switch raises it, so the peer runs on the same names as the matcher.
        AppContext.SetData("REGEX_NONBACKTRACKING_MAX_AUTOMATA_SIZE", 10_000_000);
        _nonBacktracking = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
    }

    [Benchmark(Baseline = true, Description = "Regex alternation, Compiled (baseline)")]
    public int RegexAlternation()
    {
        var n = 0;
        foreach (var text in _texts)
        {
            n += _regex.Count(text);
        }

        return n;
    }

    [Benchmark(Description = "Regex alternation, NonBacktracking")]
    public int RegexNonBacktracking()
    {
        var n = 0;
        foreach (var text in _texts)
        {
            n += _nonBacktracking.Count(text);
        }

        return n;
    }

    [Benchmark(Description = "Matcher, default watchlist")]
    public int MatcherDefault()
    {
        var n = 0;
        foreach (var text in _texts)
        {
            n += _default.Match(new MatchInput(null, null, text)).Hits.Count;
        }

        return n;
    }

    [Benchmark(Description = "Matcher, default + 10,000 aliases")]
    public int MatcherLarge()
    {
        var n = 0;
        foreach (var text in _texts)
        {
            n += _large.Match(new MatchInput(null, null, text)).Hits.Count;
        }

        return n;
    }

    /// <summary>Adds 10,000 made-up company and vessel names, as a large sanctions list would.</summary>
    internal static Watchlist WithGeneratedAliases(Watchlist watchlist, int count)
    {
        var random = new Random(42);
        string Word(int min, int max) => new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => (char)('a' + random.Next(26)))]);
        var generated = Enumerable.Range(0, count).Select(i => (i % 3) switch
        {
            0 => $"{Word(4, 9)} {Word(5, 10)}",
            1 => $"{Word(5, 12)} shipping",
            _ => Word(6, 12),
        }).ToList();
        var json = WatchlistJson.Write(watchlist);
        var copy = WatchlistJson.Parse(json);
        copy.Name = "large";
        copy.Entities.Add(new TermGroup { Name = "Listed companies", Aliases = generated });
        return copy;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn());
    }

    /// <summary>MB/s of UTF-8 text matched: one operation is one pass over all texts of the case.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        private static readonly ConcurrentDictionary<string, long> Sizes = new();

        public string Id => "Throughput";
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Megabytes (10^6) of UTF-8 text matched per second on one core";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            if (stats is null)
            {
                return "-";
            }

            var text = (string)benchmarkCase.Parameters["Text"];
            var bytes = Sizes.GetOrAdd(text, Texts.Bytes);
            return (bytes / (stats.Mean / 1e9) / 1e6).ToString("0.0");
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
