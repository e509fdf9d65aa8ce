using System.Globalization;
using System.Text;
using System.Text.Json;
using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

/// <summary>One labelled news item: title and lead as a feed carries them, and whether it is a dealing.</summary>
internal sealed record NewsItem(string Id, string Lang, bool Expected, string? Kind, string Title, string? Summary, string? Source);

/// <summary>Precision, recall and F1 of one classifier on one language.</summary>
internal readonly record struct Scores(int Items, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : TruePositives / (double)(TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : TruePositives / (double)(TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public Scores Add(bool expected, bool predicted) => new(
        Items + 1,
        TruePositives + (expected && predicted ? 1 : 0),
        FalsePositives + (!expected && predicted ? 1 : 0),
        FalseNegatives + (expected && !predicted ? 1 : 0));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Precision:0.00} / {Recall:0.00} / {F1:0.00}");
}

/// <summary>
/// Scores the matcher and the boolean query on a labelled file, per language. For a file whose name
/// contains "test" (a frozen split, scored once) only aggregate figures are ever printed — never an item.
/// </summary>
internal sealed class NewsEvaluation
{
    public static readonly string[] Languages = ["all", "en", "ko", "ru", "fa"];

    private NewsEvaluation(string file, IReadOnlyList<NewsItem> items, Dictionary<string, Scores> matcher, Dictionary<string, Scores> boolean, List<string> mistakes)
    {
        File = file;
        Items = items;
        Matcher = matcher;
        Boolean = boolean;
        Mistakes = mistakes;
    }

    public string File { get; }

    public IReadOnlyList<NewsItem> Items { get; }

    public Dictionary<string, Scores> Matcher { get; }

    public Dictionary<string, Scores> Boolean { get; }

    /// <summary>The matcher's wrong answers, for tuning on a dev file; always empty for a test file.</summary>
    public List<string> Mistakes { get; }

    public static bool IsFrozen(string path) => Path.GetFileName(path).Contains("test", StringComparison.OrdinalIgnoreCase);

    /// <summary>A file name in the test data folder, or a path.</summary>
    public static string Resolve(string file) => Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, "Data", file);

    public static List<NewsItem> Load(string path) =>
        [.. System.IO.File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonSerializer.Deserialize<NewsItem>(l, JsonSerializerOptions.Web)!)];

    public static NewsEvaluation Run(WatchlistMatcher matcher, string file)
    {
        var path = Resolve(file);
        var frozen = IsFrozen(path);
        var items = Load(path);
        var m = Languages.ToDictionary(l => l, _ => new Scores());
        var b = Languages.ToDictionary(l => l, _ => new Scores());
        var mistakes = new List<string>();
        foreach (var item in items)
        {
            var result = matcher.Match(new MatchInput(item.Title, item.Summary, null));
            var boolean = BooleanQuery.Matches(item.Title, item.Summary);
            foreach (var lang in (string[])["all", item.Lang])
            {
                m[lang] = m.GetValueOrDefault(lang).Add(item.Expected, result.Matched);
                b[lang] = b.GetValueOrDefault(lang).Add(item.Expected, boolean);
            }

            if (!frozen && result.Matched != item.Expected)
            {
                mistakes.Add($"{(item.Expected ? "FN" : "FP")} {item.Id} [{item.Kind}] {item.Title} | score {result.Score} {result.Confidence}: {result.Reason}");
            }
        }

        return new NewsEvaluation(Path.GetFileName(path), items, m, b, mistakes);
    }

    /// <summary>The README's table: per language, items, matcher and boolean P / R / F1.</summary>
    public string Table()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"{File}:");
        s.AppendLine("| language | items | matcher P / R / F1 | boolean query P / R / F1 |");
        s.AppendLine("| --- | --- | --- | --- |");
        foreach (var lang in Languages)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {lang} | {Matcher[lang].Items} | {Matcher[lang]} | {Boolean[lang]} |");
        }

        return s.ToString();
    }
}
