using System.Text.Json;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>
/// <c>POST /api/check</c>: "would this be flagged, and why?" for a text, a title and summary, a page
/// (<c>url</c>) or every item of a feed (<c>feedUrl</c>), against a stored watchlist or an inline draft.
/// </summary>
public sealed class CheckHandler(WatchlistStore watchlists, FeedFetcher fetcher)
{
    private static readonly string[] Fields = ["text", "title", "summary", "url", "feedUrl"];

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJson.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!ApiJson.TryGetStrings(body, Fields, out var fields, out problem))
        {
            return problem!;
        }

        string? text = fields["text"], title = fields["title"], summary = fields["summary"], url = fields["url"], feedUrl = fields["feedUrl"];

        var (matcher, watchlistProblem) = await ResolveWatchlistAsync(body, cancellationToken);
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

        var items = parsed.Items.Select(raw => ItemNormalizer.Normalize(raw, target, parsed.Language)).Select(item => new
        {
            id = item.Key,
            title = item.Title,
            link = item.Link,
            result = matcher!.Match(new MatchInput(item.Title, item.Summary, item.Content)),
        });
        return ApiJson.Ok(new { feed = new { title = parsed.Title, url = target }, items });
    }

    private async Task<(WatchlistMatcher? Matcher, IResult? Problem)> ResolveWatchlistAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (!body.TryGetProperty("watchlist", out var element) || element.ValueKind == JsonValueKind.Null)
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
