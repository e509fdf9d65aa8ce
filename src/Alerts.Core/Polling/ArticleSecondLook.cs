using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Polling;

/// <summary>Settings under <c>Alerts:Matching</c>.</summary>
public sealed class MatchingOptions
{
    public const string Section = "Alerts:Matching";

    /// <summary>Fetch the article of a near miss and score it again on the full text.</summary>
    public bool FetchArticles { get; set; } = true;

    /// <summary>At most this many articles fetched in one poll cycle (cached ones are free).</summary>
    [Range(0, 10_000)]
    public int MaxArticlesPerCycle { get; set; } = 50;

    /// <summary>Articles remembered by item key, so a near miss is fetched once.</summary>
    [Range(0, 1_000_000)]
    public int CacheSize { get; set; } = 5_000;
}

/// <summary>
/// Near misses get a second look. Feeds often carry only a headline and a line: an item that names a
/// watched party and a topic (or a product, through the gazetteer) but stays under the threshold has
/// its article fetched — through the same guarded <see cref="FeedFetcher"/> (SSRF guard, size and time
/// limits, per-host connection limit) and SmartReader — and scored again on the title, summary and the
/// article's text. A result that used the article says so (<see cref="MatchResult.Article"/>).
/// </summary>
/// <remarks>
/// At most <see cref="MatchingOptions.MaxArticlesPerCycle"/> fetches a cycle — on a queue consumer, which
/// sees no cycles, per <see cref="Window"/> of its own — each article is cached by
/// item key, a failed fetch too, so a story carried by several feeds or seen again costs nothing.
/// </remarks>
public sealed class ArticleSecondLook(FeedFetcher fetcher, IOptions<MatchingOptions> options, TimeProvider time, ILogger<ArticleSecondLook> logger)
{
    /// <summary>A queue consumer's budget starts again this long after it last did (the default poll interval).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, string?> _articles = new(StringComparer.Ordinal);
    private int _budget = options.Value.MaxArticlesPerCycle;
    private long _budgetSince = time.GetUtcNow().UtcTicks;

    /// <summary>A new poll cycle: the per-cycle cap starts again.</summary>
    public void BeginCycle()
    {
        Interlocked.Exchange(ref _budgetSince, time.GetUtcNow().UtcTicks);
        Interlocked.Exchange(ref _budget, options.Value.MaxArticlesPerCycle);
    }

    /// <summary>Names a watched party and a topic, and still did not match: worth the article.</summary>
    public static bool IsNearMiss(MatchResult result) => !result.Matched && result.Entities.Count >= 1 && result.Topics.Count >= 1;

    /// <summary>The result on the article when the feed's text fell short and the article could be read; else <paramref name="result"/>.</summary>
    public async Task<MatchResult> RescoreAsync(NewsItem item, WatchlistMatcher matcher, MatchResult result, CancellationToken cancellationToken)
    {
        if (!options.Value.FetchArticles || !IsNearMiss(result) || string.IsNullOrEmpty(item.Link))
        {
            return result;
        }

        var article = await ArticleOfAsync(item, cancellationToken);
        if (string.IsNullOrWhiteSpace(article))
        {
            return result;
        }

        var again = matcher.Match(new MatchInput(item.Title, item.Summary, article));
        return again.Score > result.Score
            ? again with { Article = item.Link, Reason = $"{again.Reason} (scored on the article at {item.Link})" }
            : result;
    }

    private async Task<string?> ArticleOfAsync(NewsItem item, CancellationToken cancellationToken)
    {
        if (_articles.TryGetValue(item.Key, out var cached))
        {
            return cached;
        }

        var now = time.GetUtcNow().UtcTicks;
        var since = Interlocked.Read(ref _budgetSince);
        if (now - since >= Window.Ticks && Interlocked.CompareExchange(ref _budgetSince, now, since) == since)
        {
            Interlocked.Exchange(ref _budget, options.Value.MaxArticlesPerCycle); // queue consumers never begin a cycle
        }

        if (Interlocked.Decrement(ref _budget) < 0)
        {
            return null; // this cycle's fetches are spent; the next cycle may look
        }

        string? text = null;
        var fetched = await fetcher.FetchAsync(item.Link!, null, null, cancellationToken);
        if (fetched.Status == FetchStatus.Ok)
        {
            text = ArticleText.Extract(item.Link!, FeedEncoding.Decode(fetched.Body!, fetched.ContentType).Text).Text;
        }
        else
        {
            logger.LogInformation("Article {Link} of a near miss could not be fetched: {Error}", item.Link, fetched.Error);
        }

        if (_articles.Count >= options.Value.CacheSize)
        {
            _articles.Clear(); // simple bound: a cleared cache costs at most one more fetch per item
        }

        _articles[item.Key] = text;
        return text;
    }
}
