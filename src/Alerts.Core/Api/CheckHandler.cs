using System.Text.Json;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>Body of <c>POST /api/check</c>: exactly one of text, title (+ summary), url, feedUrl; optionally a watchlist (a stored name or an inline draft).</summary>
public sealed record CheckRequest(string? Text, string? Title, string? Summary, string? Url, string? FeedUrl, JsonElement? Watchlist);

/// <summary>Answer of <c>POST /api/check</c> with a feedUrl: every item's result.</summary>
public sealed record FeedCheck(FeedCheckSource Feed, IReadOnlyList<FeedCheckItem> Items);

public sealed record FeedCheckSource(string? Title, string Url);

public sealed record FeedCheckItem(string Id, string Title, string? Link, MatchResult Result);

/// <summary>
/// <c>POST /api/check</c>: "would this be flagged, and why?" for a text, a title and summary, a page
/// (<c>url</c>) or every item of a feed (<c>feedUrl</c>), against a stored watchlist or an inline draft.
/// </summary>
public sealed class CheckHandler(WatchlistStore watchlists, FeedFetcher fetcher)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadAsync<CheckRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (text, title, summary, url, feedUrl) = (body!.Text, body.Title, body.Summary, body.Url, body.FeedUrl);
        var (matcher, watchlistProblem) = await ResolveWatchlistAsync(body.Watchlist, cancellationToken);
        if (watchlistProblem is not null)
        {
            return watchlistProblem;
        }

        var given = new[] { text, title ?? summary, url, feedUrl }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (given != 1)
        {
            return ApiJson.Problem(400, "Nothing to check", "send exactly one of: text, title (+ summary), url, feedUrl");
        }

        if (!string.IsNullOrWhiteSpace(text) || !string.IsNullOrWhiteSpace(title ?? summary))
        {
            var input = text is not null
                ? new MatchInput(null, null, HtmlText.ToPlainText(text))
                : new MatchInput(HtmlText.ToPlainText(title), HtmlText.ToPlainText(summary), null);
            return ApiJson.Ok(matcher!.Match(input));
        }

        var target = url ?? feedUrl!;
        try
        {
            SsrfGuard.ParseFetchableUrl(target);
        }
        catch (SsrfException ex)
        {
            return ApiJson.Problem(400, "URL not allowed", ex.Message, url is null ? "feedUrl" : "url");
        }

        var fetched = await fetcher.FetchAsync(target, null, null, cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return ApiJson.Problem(422, "Could not fetch", fetched.Error ?? "the URL could not be fetched", url is null ? "feedUrl" : "url");
        }

        if (url is not null)
        {
            var article = ArticleText.Extract(target, FeedEncoding.Decode(fetched.Body!, fetched.ContentType).Text);
            return ApiJson.Ok(matcher!.Match(new MatchInput(article.Title.Length > 0 ? article.Title : null, null, article.Text)));
        }

        var parsed = FeedParser.Parse(fetched.Body!, fetched.ContentType);
        if (!parsed.Ok)
        {
            return ApiJson.Problem(422, "Not a feed", parsed.Error!, "feedUrl");
        }

        var items = parsed.Items.Select(raw => ItemNormalizer.Normalize(raw, target, parsed.Language))
            .Select(item => new FeedCheckItem(item.Key, item.Title, item.Link, matcher!.Match(new MatchInput(item.Title, item.Summary, item.Content))));
        return ApiJson.Ok(new FeedCheck(new FeedCheckSource(parsed.Title, target), [.. items]));
    }

    private async Task<(WatchlistMatcher? Matcher, IResult? Problem)> ResolveWatchlistAsync(JsonElement? given, CancellationToken cancellationToken)
    {
        if (given is not { ValueKind: not JsonValueKind.Null } element)
        {
            return (WatchlistStore.Default, null);
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var name = element.GetString()!;
            var stored = await watchlists.GetAsync(name, cancellationToken);
            return stored is null ? (null, ApiJson.Problem(404, "Unknown watchlist", $"no watchlist named '{name}'", "watchlist")) : (stored, null);
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            try
            {
                var draft = WatchlistJson.Parse(element.GetRawText());
                return DraftLimit.Check(draft, "watchlist") is { } tooLarge ? (null, tooLarge) : (WatchlistMatcher.Compile(draft), null);
            }
            catch (WatchlistException ex)
            {
                return (null, ApiJson.Problem(400, "Invalid watchlist", ex.Message, "watchlist." + ex.Field));
            }
        }

        return (null, ApiJson.Problem(400, "Invalid field", "'watchlist' must be a name or a watchlist object", "watchlist"));
    }
}
