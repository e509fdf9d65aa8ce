using System.Text.Json;
using Alerts.Core.Api;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli;

/// <summary><c>alerts check</c>: would this be flagged, and why? Needs no storage for the default watchlist.</summary>
internal static class CheckCommand
{
    private static readonly string[] Modes = ["text", "file", "url", "feed", "input"];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var a = new Arguments(args, ["json"], ["text", "file", "url", "feed", "input", "watchlist"]);
        a.NoMorePositionalThan(0);
        var modes = Modes.Where(a.Has).ToList();
        if (modes.Count != 1)
        {
            throw new UsageException("give exactly one of --text, --file, --url, --feed, --input");
        }

        var matcher = await ResolveWatchlistAsync(services, a.Value("watchlist"), cancellationToken);
        var json = a.Has("json");
        var fetcher = services.GetRequiredService<FeedFetcher>();
        switch (modes[0])
        {
            case "text":
                await Print(stdout, matcher.Match(new MatchInput(null, null, HtmlText.ToPlainText(a.Value("text")))), json, null);
                return 0;
            case "file":
                var text = await File.ReadAllTextAsync(a.Value("file")!, cancellationToken);
                await Print(stdout, matcher.Match(new MatchInput(null, null, HtmlText.ToPlainText(text))), json, null);
                return 0;
            case "url":
                var page = await FetchAsync(fetcher, a.Value("url")!, cancellationToken);
                var article = ArticleText.Extract(a.Value("url")!, FeedEncoding.Decode(page).Text);
                await Print(stdout, matcher.Match(new MatchInput(article.Title.Length > 0 ? article.Title : null, null, article.Text)), json, null);
                return 0;
            case "feed":
                var source = a.Value("feed")!;
                var bytes = File.Exists(source) ? await File.ReadAllBytesAsync(source, cancellationToken) : await FetchAsync(fetcher, source, cancellationToken);
                var parsed = FeedParser.Parse(bytes);
                if (!parsed.Ok)
                {
                    throw new UsageException($"{source}: {parsed.Error}");
                }

                foreach (var item in parsed.Items.Select(raw => ItemNormalizer.Normalize(raw, source, parsed.Language)))
                {
                    await Print(stdout, matcher.Match(new MatchInput(item.Title, item.Summary, item.Content)), json, item);
                }

                if (!json)
                {
                    await stdout.WriteLineAsync($"{parsed.Items.Count} item(s) in {parsed.Title ?? source}");
                }

                return 0;
            default:
                await CheckLinesAsync(matcher, a.Value("input")!, stdout, cancellationToken);
                return 0;
        }
    }

    /// <summary>JSON Lines in, one JSON result line per item out, in input order.</summary>
    private static async Task CheckLinesAsync(WatchlistMatcher matcher, string path, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var reader = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(File.OpenRead(path));
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement item;
            try
            {
                using var document = JsonDocument.Parse(line);
                item = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new UsageException($"{path} line {lineNumber}: not JSON ({ex.Message.Split('\n')[0]})");
            }

            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"{path} line {lineNumber}: each line must be a JSON object");
            }

            var id = Member(item, "id", path, lineNumber);
            var title = Member(item, "title", path, lineNumber);
            var summary = Member(item, "summary", path, lineNumber);
            var content = Member(item, "content", path, lineNumber) ?? Member(item, "text", path, lineNumber);
            var result = matcher.Match(new MatchInput(HtmlText.ToPlainText(title), HtmlText.ToPlainText(summary), HtmlText.ToPlainText(content)));
            await stdout.WriteLineAsync(JsonSerializer.Serialize(
                new
                {
                    id,
                    matched = result.Matched,
                    score = result.Score,
                    confidence = result.Confidence,
                    entities = result.Entities,
                    topics = result.Topics,
                    hits = result.Hits.Select(h => new { term = h.Term, group = h.Group, kind = h.Kind, field = h.Field, start = h.Start, length = h.Length }),
                    reason = result.Reason,
                },
                ApiJson.Options));
        }
    }

    private static string? Member(JsonElement item, string name, string path, int line)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when name == "id" => value.GetRawText(),
            _ => throw new UsageException($"{path} line {line}: '{name}' must be a string"),
        };
    }

    private static async Task<WatchlistMatcher> ResolveWatchlistAsync(IServiceProvider services, string? nameOrFile, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<WatchlistStore>();
        if (nameOrFile is null)
        {
            return WatchlistStore.Default;
        }

        if (File.Exists(nameOrFile))
        {
            return WatchlistMatcher.Compile(WatchlistJson.Parse(await File.ReadAllTextAsync(nameOrFile, cancellationToken)));
        }

        if (nameOrFile == WatchlistJson.DefaultName)
        {
            return await store.GetAsync(nameOrFile, cancellationToken) ?? WatchlistStore.Default;
        }

        return await store.GetAsync(nameOrFile, cancellationToken) ?? throw new UsageException($"no watchlist named '{nameOrFile}' and no such file");
    }

    private static async Task<byte[]> FetchAsync(FeedFetcher fetcher, string url, CancellationToken cancellationToken)
    {
        Commands.CheckedUrl(url);
        var fetched = await fetcher.FetchAsync(url, null, null, cancellationToken);
        return fetched.Status == FetchStatus.Ok ? fetched.Body! : throw new UsageException($"{url}: {fetched.Error}");
    }

    private static async Task Print(TextWriter stdout, MatchResult result, bool json, NewsItem? item)
    {
        if (json)
        {
            object value = item is null ? result : new { id = item.Key, title = item.Title, link = item.Link, result };
            await stdout.WriteLineAsync(JsonSerializer.Serialize(value, ApiJson.Options));
            return;
        }

        if (item is not null)
        {
            await stdout.WriteLineAsync($"{item.Title}  {item.Link}");
        }

        await stdout.WriteLineAsync($"{(result.Matched ? "MATCH" : "no match")}  score {result.Score:0.##}  watchlist {result.Watchlist}");
        await stdout.WriteLineAsync($"  why: {result.Reason}");
        if (result.Evidence is { } evidence)
        {
            await stdout.WriteLineAsync($"  evidence ({evidence.Field.ToString().ToLowerInvariant()}): {Marked(evidence)}");
        }

        foreach (var group in result.Hits.GroupBy(h => (h.Kind, h.Group)))
        {
            await stdout.WriteLineAsync($"  {group.Key.Kind.ToString().ToLowerInvariant(),-6} {group.Key.Group}: {string.Join(", ", group.Select(h => $"{h.Term} ({h.Field.ToString().ToLowerInvariant()} {h.Start})").Distinct().Take(8))}");
        }
    }

    private static string Marked(Evidence evidence)
    {
        var s = evidence.Sentence;
        foreach (var h in evidence.Highlights.OrderByDescending(h => h.Start))
        {
            s = s[..h.Start] + "[" + s.Substring(h.Start, h.Length) + "]" + s[(h.Start + h.Length)..];
        }

        return s;
    }
}
