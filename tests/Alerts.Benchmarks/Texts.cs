using Alerts.Core.Feeds;
using Alerts.Local;

namespace Alerts.Benchmarks;

/// <summary>News-like text to match: the five seed articles, and real feed items from the shared corpus.</summary>
internal static class Texts
{
    public static string[] Load(string name)
    {
        var shared = Path.GetFullPath(Path.Combine(LocalTools.FindRepositoryRoot(), "..", "shared"));
        if (name == "seeds")
        {
            return [.. Directory.GetFiles(Path.Combine(shared, "seeds"), "*.txt").Order().Select(File.ReadAllText)];
        }

        // Real-world English feeds saved from news sites and blogs: mostly text the watchlist does not flag.
        var feeds = Directory.GetFiles(Path.Combine(shared, "corpus", "feeds", "feedreader", "FeedReader.Tests", "Feeds"), "*.xml").Order();
        var items = new List<string>();
        foreach (var file in feeds)
        {
            var parsed = FeedParser.Parse(File.ReadAllBytes(file));
            foreach (var raw in parsed.Items)
            {
                var item = ItemNormalizer.Normalize(raw, "https://bench.test/", parsed.Language);
                var text = $"{item.Title}\n{item.Summary}\n{item.Content}";
                if (text.Length > 40 && (parsed.Language is null || parsed.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase)))
                {
                    items.Add(text);
                }
            }
        }

        return [.. items];
    }

    /// <summary>UTF-8 size of one pass over the texts, for MB/s.</summary>
    public static long Bytes(string name) => Load(name).Sum(t => (long)System.Text.Encoding.UTF8.GetByteCount(t));
}
