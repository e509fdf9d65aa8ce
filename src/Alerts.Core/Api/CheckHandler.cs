using System.Text.Json;
using Alerts.Core.Checks;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary>Body of <c>POST /api/check</c>: exactly one of text, title (+ summary), url, feedUrl; optionally a watchlist (a stored name or an inline draft).</summary>
public sealed record CheckRequest(string? Text, string? Title, string? Summary, string? Url, string? FeedUrl, JsonElement? Watchlist);

/// <summary>Answer of <c>POST /api/check</c> with a feedUrl: every item's result.</summary>
public sealed record FeedCheckAnswer(FeedCheckSource Feed, IReadOnlyList<FeedItemCheck> Items);

public sealed record FeedCheckSource(string? Title, string Url);

/// <summary>
/// <c>POST /api/check</c>: "would this be flagged, and why?" for a text, a title and summary, a page
/// (<c>url</c>) or every item of a feed (<c>feedUrl</c>), against a stored watchlist or an inline draft.
/// </summary>
public sealed class CheckHandler(WatchlistStore watchlists, CheckService checks)
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
            return ApiJson.Ok(text is not null ? CheckService.CheckText(matcher!, null, null, text) : CheckService.CheckText(matcher!, title, summary, null));
        }

        var field = url is null ? "feedUrl" : "url";
        try
        {
            if (url is not null)
            {
                return ApiJson.Ok(await checks.CheckPageAsync(matcher!, url, cancellationToken));
            }

            var feed = await checks.CheckFeedAsync(matcher!, feedUrl!, cancellationToken);
            return ApiJson.Ok(new FeedCheckAnswer(new FeedCheckSource(feed.Title, feed.Url), feed.Items));
        }
        catch (SsrfException ex)
        {
            return ApiJson.Problem(400, "URL not allowed", ex.Message, field);
        }
        catch (CheckException ex)
        {
            return ApiJson.Problem(422, ex.Failure == CheckFailure.NotAFeed ? "Not a feed" : "Could not fetch", ex.Message, field);
        }
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
