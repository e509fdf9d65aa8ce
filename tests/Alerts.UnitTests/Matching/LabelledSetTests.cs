using System.Text.Json;
using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

/// <summary>
/// Quality of the default watchlist on labelled headlines (title + summary): positives in many
/// phrasings and languages, and hard negatives of every kind (one country, South Korea, no topic,
/// look-alike words, third countries, co-mentions without a dealing).
/// </summary>
public sealed class LabelledSetTests
{
    private static readonly WatchlistMatcher Default = WatchlistMatcher.Compile(WatchlistJson.LoadDefault());

    [Theory]
    [InlineData("labelled.jsonl", 150, 0.95, 0.95)]
    [InlineData("holdout.jsonl", 20, 0.9, 0.8)]
    public void DefaultWatchlist_LabelledItems_MeetsPrecisionAndRecall(string file, int minItems, double minPrecision, double minRecall)
    {
        var items = Load(file);
        Assert.True(items.Count >= minItems, $"{file} has {items.Count} items");

        var wrong = new List<string>();
        int tp = 0, fp = 0, fn = 0;
        foreach (var item in items)
        {
            var result = Default.Match(new MatchInput(item.Title, item.Summary, null));
            switch ((item.Expected, result.Matched))
            {
                case (true, true): tp++; break;
                case (false, true): fp++; wrong.Add($"FP {item.Id} {item.Title} ({result.Score}: {result.Reason})"); break;
                case (true, false): fn++; wrong.Add($"FN {item.Id} {item.Title} ({result.Score}: {result.Reason})"); break;
            }
        }

        var precision = tp / (double)(tp + fp);
        var recall = tp / (double)(tp + fn);
        var report = $"precision {precision:0.000}, recall {recall:0.000}\n" + string.Join("\n", wrong);
        Assert.True(precision >= minPrecision, report);
        Assert.True(recall >= minRecall, report);
    }

    [Fact]
    public void LabelledSet_CoversLanguagesAndNegativeKinds()
    {
        var items = Load("labelled.jsonl");

        foreach (var lang in new[] { "ru", "ko", "fa" })
        {
            Assert.Contains(items, i => i.Lang == lang && i.Expected);
            Assert.Contains(items, i => i.Lang == lang && !i.Expected);
        }

        foreach (var kind in new[] { "one-country", "south-korea", "no-topic", "words", "third-country", "co-mention" })
        {
            Assert.True(items.Count(i => i.Kind == kind && !i.Expected) >= 3, kind);
        }
    }

    private static List<Item> Load(string file) =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", file))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Item>(l, JsonSerializerOptions.Web)!)];

    private sealed record Item(string Id, bool Expected, string? Kind, string? Lang, string Title, string? Summary);
}
