using System.CommandLine;
using System.Text.Json;
using Alerts.Cli.CommandLine;
using Alerts.Core.Checks;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts check</c>: would this be flagged, and why? Needs no storage for the default watchlist.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext cli)
    {
        var text = new Option<string>("--text") { Description = "this text", HelpName = "T" };
        var file = new Option<string>("--file") { Description = "the text (or HTML) of this file", HelpName = "F" };
        var url = new Option<string>("--url") { Description = "the article at this address (fetched through the SSRF guard)", HelpName = "U" };
        var feed = new Option<string>("--feed") { Description = "every item of this feed (an address or a file)", HelpName = "URL-or-FILE" };
        var input = new Option<string>("--input")
        {
            Description = "JSON Lines (id, title, summary, content or text), one result line per item, in order; - for stdin",
            HelpName = "F.jsonl",
        };
        var watchlist = new Option<string>("--watchlist") { Description = "a stored watchlist or a watchlist file (default: default)", HelpName = "NAME-or-FILE" };
        var json = new Option<bool>("--json") { Description = "the result as JSON" };
        var command = new CliCommand("check", "Would this be flagged, and why?") { text, file, url, feed, input, watchlist, json };
        command.RequireExactlyOne(text, file, url, feed, input);
        command.SetAction((parsed, ct) => cli.WithServicesAsync(async services =>
        {
            var matcher = await ResolveWatchlistAsync(services, parsed.GetValue(watchlist), ct);
            var asJson = parsed.GetValue(json);
            var stdout = cli.Out;
            var checks = services.GetRequiredService<CheckService>();
            if (parsed.GetValue(text) is { } t)
            {
                await Print(stdout, CheckService.CheckText(matcher, null, null, t), asJson, null);
            }
            else if (parsed.GetValue(file) is { } f)
            {
                await Print(stdout, CheckService.CheckText(matcher, null, null, await File.ReadAllTextAsync(f, ct)), asJson, null);
            }
            else if (parsed.GetValue(url) is { } u)
            {
                await Print(stdout, await checks.CheckPageAsync(matcher, u, ct), asJson, null);
            }
            else if (parsed.GetValue(feed) is { } source)
            {
                var items = File.Exists(source)
                    ? CheckService.CheckFeed(matcher, await File.ReadAllBytesAsync(source, ct), null, source)
                    : await checks.CheckFeedAsync(matcher, source, ct);
                foreach (var item in items.Items)
                {
                    await Print(stdout, item.Result, asJson, item);
                }

                if (!asJson)
                {
                    await stdout.WriteLineAsync($"{items.Items.Count} item(s) in {items.Title ?? source}");
                }
            }
            else
            {
                await CheckLinesAsync(matcher, parsed.GetValue(input)!, stdout, ct);
            }

            return 0;
        }));
        return command;
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
            var result = CheckService.CheckText(matcher, title, summary, content);
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
                CliJson.Lines));
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

    private static async Task Print(TextWriter stdout, MatchResult result, bool json, FeedItemCheck? item)
    {
        if (json)
        {
            object value = item is null ? result : item;
            await stdout.WriteLineAsync(JsonSerializer.Serialize(value, CliJson.Lines));
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
