using Alerts.Core.Feeds;
using Alerts.Core.Matching;

namespace Alerts.Core.Checks;

/// <summary>Why a page or feed could not be checked; the message is one line for people.</summary>
public enum CheckFailure
{
    CouldNotFetch,
    NotAFeed,
}

/// <summary>A page or feed that could not be checked (the address itself being refused is an <see cref="SsrfException"/>).</summary>
public sealed class CheckException(CheckFailure failure, string target, string message) : Exception(message)
{
    public CheckFailure Failure { get; } = failure;

    /// <summary>The address or file that could not be checked.</summary>
    public string Target { get; } = target;
}

/// <summary>One item of a checked feed and what the watchlist made of it.</summary>
public sealed record FeedItemCheck(string Id, string Title, string? Link, MatchResult Result);

/// <summary>Every item of a feed, checked.</summary>
public sealed record FeedCheck(string? Title, string Url, IReadOnlyList<FeedItemCheck> Items);

/// <summary>
/// "Would this be flagged, and why?" for a text, a page or a feed: the same steps behind
/// <c>POST /api/check</c> and <c>alerts check</c> — HTML to text, pages and feeds fetched through the
/// SSRF guard and decoded with the charset the server declared, feed items normalised as the poll does.
/// </summary>
public sealed class CheckService(FeedFetcher fetcher)
{
    /// <summary>A text, or a title and summary, as given (HTML is reduced to its text first).</summary>
    public static MatchResult CheckText(WatchlistMatcher matcher, string? title, string? summary, string? text) =>
        matcher.Match(new MatchInput(HtmlText.ToPlainText(title), HtmlText.ToPlainText(summary), HtmlText.ToPlainText(text)));

    /// <summary>The article on a page: its title and main text, without the menus and footers around it.</summary>
    /// <exception cref="SsrfException">Not an address the fetcher may go to.</exception>
    /// <exception cref="CheckException">The page could not be fetched.</exception>
    public async Task<MatchResult> CheckPageAsync(WatchlistMatcher matcher, string url, CancellationToken cancellationToken)
    {
        var page = await FetchAsync(url, cancellationToken);
        var article = ArticleText.Extract(url, FeedEncoding.Decode(page.Body!, page.ContentType).Text);
        return matcher.Match(new MatchInput(article.Title.Length > 0 ? article.Title : null, null, article.Text));
    }

    /// <summary>Every item of the feed at <paramref name="url"/>.</summary>
    /// <exception cref="SsrfException">Not an address the fetcher may go to.</exception>
    /// <exception cref="CheckException">The feed could not be fetched, or what came back is not a feed.</exception>
    public async Task<FeedCheck> CheckFeedAsync(WatchlistMatcher matcher, string url, CancellationToken cancellationToken)
    {
        var fetched = await FetchAsync(url, cancellationToken);
        return CheckFeed(matcher, fetched.Body!, fetched.ContentType, url);
    }

    /// <summary>Every item of a feed already read (a file); <paramref name="source"/> names it.</summary>
    /// <exception cref="CheckException">Not a feed.</exception>
    public static FeedCheck CheckFeed(WatchlistMatcher matcher, byte[] body, string? contentType, string source)
    {
        var parsed = FeedParser.Parse(body, contentType);
        if (!parsed.Ok)
        {
            throw new CheckException(CheckFailure.NotAFeed, source, parsed.Error!);
        }

        return new FeedCheck(parsed.Title, source, [.. parsed.Items
            .Select(raw => ItemNormalizer.Normalize(raw, source, parsed.Language))
            .Select(item => new FeedItemCheck(item.Key, item.Title, item.Link, matcher.Match(new MatchInput(item.Title, item.Summary, item.Content))))]);
    }

    private async Task<FetchResult> FetchAsync(string url, CancellationToken cancellationToken)
    {
        SsrfGuard.ParseFetchableUrl(url);
        var fetched = await fetcher.FetchAsync(url, null, null, cancellationToken);
        return fetched.Status == FetchStatus.Ok ? fetched : throw new CheckException(CheckFailure.CouldNotFetch, url, fetched.Error ?? "the URL could not be fetched");
    }
}
