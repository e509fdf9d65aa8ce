using System.Collections.Concurrent;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Polling;

/// <summary>What one feed gave in one poll.</summary>
public sealed record FeedPollResult(string FeedUrl, bool Ok, bool NotModified, int Items, int NewItems, int NewMatches, string? Error);

/// <param name="Skipped">Feeds not polled this cycle because they are backing off after failures.</param>
public sealed record PollSummary(int Feeds, int Failed, int Skipped, int Items, int NewItems, int NewMatches, TimeSpan Elapsed, IReadOnlyList<FeedPollResult> Results)
{
    public override string ToString() =>
        $"{Feeds} feed(s) polled, {Failed} failed, {Skipped} skipped while backing off; {Items} item(s), {NewItems} new, {NewMatches} new match(es) in {Elapsed.TotalSeconds:0.0} s";
}

/// <summary>
/// One poll cycle: fetch → parse → normalise → skip what was seen → match → store, feed by feed with
/// bounded concurrency. Matches are stored before items are marked seen, so a crash in between
/// repeats work (harmless: stores are idempotent) instead of losing a match.
/// </summary>
public sealed class PollService(
    FeedStore feeds,
    SeenItemStore seen,
    MatchStore matches,
    WatchlistStore watchlists,
    RunStore runs,
    RecentItemStore recent,
    FeedFetcher fetcher,
    PrivateHosts privateHosts,
    ArticleSecondLook secondLook,
    IOptions<FetchOptions> options,
    TimeProvider time,
    ILogger<PollService> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(6);

    public async Task<PollSummary> RunOnceAsync(IProgress<FeedPollResult>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        secondLook.BeginCycle();
        var feedList = await feeds.ListAsync(cancellationToken);
        FeedService.AllowPrivateHostsOf(feedList, privateHosts);
        var matchers = await watchlists.GetAllAsync(cancellationToken);
        var due = feedList.Where(f => !f.Paused && IsDue(f.NextPollAt, started)).ToList(); // paused by an admin: not polled, counted as skipped
        var results = new ConcurrentBag<FeedPollResult>();
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken },
            async (feed, token) =>
            {
                var result = await PollFeedAsync(feed, matchers, token);
                results.Add(result);
                progress?.Report(result);
            });

        // Bounded housekeeping: item text older than the retention goes, a thousand rows a cycle at most.
        await recent.PruneAsync(started, 1000, cancellationToken);
        var list = results.OrderBy(r => r.FeedUrl, StringComparer.Ordinal).ToList();
        var summary = new PollSummary(list.Count, list.Count(r => !r.Ok), feedList.Count - due.Count, list.Sum(r => r.Items), list.Sum(r => r.NewItems), list.Sum(r => r.NewMatches), time.GetUtcNow() - started, list);
        await runs.RecordAsync("poll", started, time.GetUtcNow(), summary.ToString(), cancellationToken);
        logger.LogInformation("Poll finished: {FeedCount} feeds, {FailedCount} failed, {NewItemCount} new items, {MatchCount} new matches", summary.Feeds, summary.Failed, summary.NewItems, summary.NewMatches);
        return summary;
    }

    /// <summary>Whether a feed is polled in a cycle starting at <paramref name="now"/>: never tried, or its backoff is over.</summary>
    public static bool IsDue(DateTimeOffset? nextPollAt, DateTimeOffset now) => nextPollAt is null || nextPollAt <= now;

    private async Task<FeedPollResult> PollFeedAsync(FeedEntity feed, IReadOnlyList<WatchlistMatcher> matchers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        feed.LastAttemptAt = now;
        try
        {
            var fetched = await fetcher.FetchAsync(feed.Url, feed.HttpETag, feed.HttpLastModified, cancellationToken);
            feed.LastStatus = fetched.HttpStatus;
            if (fetched.Status == FetchStatus.NotModified)
            {
                await SucceedAsync(feed, now, fetched, feed.ItemCount, cancellationToken);
                return new FeedPollResult(feed.Url, true, true, 0, 0, 0, null);
            }

            if (fetched.Status == FetchStatus.Failed)
            {
                return await FailAsync(feed, now, fetched.Error!, fetched.RetryAfter, cancellationToken);
            }

            var parsed = FeedParser.Parse(fetched.Body!, fetched.ContentType);
            if (!parsed.Ok)
            {
                return await FailAsync(feed, now, parsed.Error!, null, cancellationToken);
            }

            var items = DistinctItems(parsed.Items.Select(i => ItemNormalizer.Normalize(i, feed.Url, parsed.Language)));
            var feedKey = FeedStore.KeyOf(feed.Url);
            var known = await seen.GetSeenAsync(feedKey, cancellationToken);
            // Seen under its guid or under its link: a story re-published with a new guid is not new.
            var fresh = items.Where(i => !known.Contains(i.Key) && (i.LinkKey is null || !known.Contains(i.LinkKey))).ToList();
            var found = new List<MatchEntity>();
            foreach (var item in fresh)
            {
                var input = new MatchInput(item.Title, item.Summary, item.Content);
                foreach (var matcher in matchers)
                {
                    var result = await secondLook.RescoreAsync(item, matcher, matcher.Match(input), cancellationToken);
                    if (result.Matched)
                    {
                        found.Add(MatchEntity.From(item, result, now));
                    }
                }
            }

            var stored = await matches.StoreAsync(found, cancellationToken);
            await recent.AddAsync(fresh.Select(i => RecentItemEntity.From(i, now)), cancellationToken);
            await seen.MarkSeenAsync(feedKey, fresh.SelectMany(i => i.LinkKey is null ? [i.Key] : new[] { i.Key, i.LinkKey }), now, cancellationToken);
            feed.Title = parsed.Title ?? feed.Title;
            await SucceedAsync(feed, now, fetched, items.Count, cancellationToken);
            logger.LogInformation("Feed {FeedUrl}: {ItemCount} items, {NewItemCount} new, {MatchCount} new matches", feed.Url, items.Count, fresh.Count, stored);
            return new FeedPollResult(feed.Url, true, false, items.Count, fresh.Count, stored, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not StorageUnavailableException and not Azure.RequestFailedException)
        {
            // Anything unforeseen in one feed is that feed's problem, not the cycle's.
            logger.LogError(ex, "Feed {FeedUrl} failed unexpectedly", feed.Url);
            return await FailAsync(feed, now, $"{ex.GetType().Name}: {FeedFetcher.OneLine(ex)}", null, cancellationToken);
        }
    }

    private async Task SucceedAsync(FeedEntity feed, DateTimeOffset now, FetchResult fetched, int itemCount, CancellationToken cancellationToken)
    {
        feed.LastSuccessAt = now;
        feed.ConsecutiveFailures = 0;
        feed.LastError = null;
        feed.NextPollAt = null;
        feed.ItemCount = itemCount;
        // Validators are saved only now, after the items are stored: a crash earlier means a full refetch.
        feed.HttpETag = fetched.ETag;
        feed.HttpLastModified = fetched.LastModified;
        await feeds.SaveAsync(feed, cancellationToken);
    }

    private async Task<FeedPollResult> FailAsync(FeedEntity feed, DateTimeOffset now, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        feed.ConsecutiveFailures++;
        feed.LastError = error;
        feed.NextPollAt = now + Backoff(feed.ConsecutiveFailures, retryAfter);
        await feeds.SaveAsync(feed, cancellationToken);
        logger.LogWarning("Feed {FeedUrl} failed ({FailureCount} in a row): {Error}", feed.Url, feed.ConsecutiveFailures, error);
        return new FeedPollResult(feed.Url, false, false, 0, 0, 0, error);
    }

    /// <summary>
    /// One item per key; and a link shared by several items of one feed (a home page given to every
    /// item) identifies none of them, so those items are told apart by their guids alone.
    /// </summary>
    internal static List<NewsItem> DistinctItems(IEnumerable<NewsItem> normalized)
    {
        var items = normalized.DistinctBy(i => i.Key).ToList();
        var shared = items.Where(i => i.LinkKey is not null).GroupBy(i => i.LinkKey).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return shared.Count == 0 ? items : items.ConvertAll(i => shared.Contains(i.LinkKey) ? i with { LinkKey = null } : i);
    }

    /// <summary>Capped exponential backoff with jitter; a server's Retry-After wins when longer.</summary>
    internal static TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        if (failures <= 1 && retryAfter is null)
        {
            return TimeSpan.Zero; // one failure may be a blip: try again next cycle
        }

        var minutes = Math.Min(MaxBackoff.TotalMinutes, 5 * Math.Pow(2, Math.Min(failures - 1, 10)));
        var jittered = TimeSpan.FromMinutes(minutes * (0.8 + (Random.Shared.NextDouble() * 0.4)));
        return retryAfter is { } ra && ra > jittered ? (ra < MaxBackoff ? ra : MaxBackoff) : jittered;
    }
}
