using System.Collections.Concurrent;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Polling;

/// <summary>What one feed gave in one poll.</summary>
public sealed record FeedPollResult(string FeedUrl, bool Ok, bool NotModified, int Items, int NewItems, int NewMatches, string? Error);

/// <summary>What a queue consumer did with one message.</summary>
public enum QueuedPollStatus
{
    /// <summary>The feed was fetched (successfully or not: its health says which).</summary>
    Polled,

    /// <summary>Nothing to do: the feed was attempted since the message was enqueued (a second delivery), or it is no longer watched.</summary>
    AlreadyDone,

    /// <summary>Not now: another consumer holds the feed, or the host's limit is taken; the message comes back after <see cref="QueuedPollOutcome.RetryAfter"/>.</summary>
    Deferred,

    /// <summary>The host asked every consumer to slow down (429): the feed waits until then, like a feed backing off.</summary>
    HostSlowedDown,
}

/// <param name="Result">The feed's outcome when it was polled.</param>
public sealed record QueuedPollOutcome(QueuedPollStatus Status, FeedPollResult? Result = null, TimeSpan? RetryAfter = null);

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
    HostGate hosts,
    AlertsMetrics metrics,
    IOptions<FetchOptions> options,
    IOptions<QueueOptions> queueOptions,
    TimeProvider time,
    ILogger<PollService> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(6);

    /// <summary>How long a queue consumer reuses the compiled watchlists before asking storage whether they changed.</summary>
    private static readonly TimeSpan MatchersFreshFor = TimeSpan.FromSeconds(30);

    /// <summary>How long a consumer waits for a busy host's slot before it defers the message instead.</summary>
    private static readonly TimeSpan MaxLeaseWait = TimeSpan.FromSeconds(5);

    private MatcherCache? _matchers;

    public async Task<PollSummary> RunOnceAsync(IProgress<FeedPollResult>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        secondLook.BeginCycle();
        var feedList = await feeds.ListAsync(cancellationToken);
        FeedService.AllowPrivateHostsOf(feedList, privateHosts);
        var matchers = await watchlists.GetAllAsync(cancellationToken);
        var due = FeedOrder.InterleaveByHost(feedList.Where(f => !f.Paused && IsDue(f.NextPollAt, started))); // paused by an admin: not polled, counted as skipped
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

        var list = results.OrderBy(r => r.FeedUrl, StringComparer.Ordinal).ToList();
        var summary = new PollSummary(list.Count, list.Count(r => !r.Ok), feedList.Count - due.Count, list.Sum(r => r.Items), list.Sum(r => r.NewItems), list.Sum(r => r.NewMatches), time.GetUtcNow() - started, list);
        await runs.RecordAsync("poll", started, time.GetUtcNow(), summary.ToString(), cancellationToken);
        logger.LogInformation("Poll finished: {FeedCount} feeds, {FailedCount} failed, {NewItemCount} new items, {MatchCount} new matches", summary.Feeds, summary.Failed, summary.NewItems, summary.NewMatches);
        return summary;
    }

    /// <summary>
    /// One message of the <c>poll-feeds</c> queue, delivered at least once: the same steps as the in-process
    /// cycle for one feed, made safe for a second delivery, for two consumers at once and for a consumer
    /// that dies half-way.
    /// <list type="number">
    /// <item>A feed attempted since the message was enqueued (and not claimed now) is done: a second delivery does nothing.</item>
    /// <item>The feed is claimed with a conditional write, so two consumers never poll it at once; a dead consumer's claim lapses after <see cref="QueueOptions.FeedClaimSeconds"/>, and until then the message is deferred, not dropped.</item>
    /// <item>The fetch holds one of the host's leases (<see cref="HostGate"/>), shared by every consumer.</item>
    /// <item>Matches are stored before items are marked seen and validators saved, so a crash repeats work instead of losing it; every write is idempotent.</item>
    /// </list>
    /// </summary>
    public async Task<QueuedPollOutcome> PollFeedAsync(PollFeedMessage message, CancellationToken cancellationToken)
    {
        FeedEntity? feed = null;
        var now = time.GetUtcNow();
        for (var attempt = 0; feed is null; attempt++)
        {
            var read = await feeds.GetAsync(message.FeedUrl, cancellationToken);
            now = time.GetUtcNow();
            if (read is null || read.Paused)
            {
                return new QueuedPollOutcome(QueuedPollStatus.AlreadyDone); // removed, or paused by an admin after it was enqueued
            }

            if (read.ClaimedUntil is { } claimed && claimed > now)
            {
                return new QueuedPollOutcome(QueuedPollStatus.Deferred, RetryAfter: claimed - now + TimeSpan.FromSeconds(1));
            }

            if (read.LastAttemptAt is { } attempted && attempted >= message.EnqueuedAt)
            {
                return new QueuedPollOutcome(QueuedPollStatus.AlreadyDone);
            }

            if (await feeds.TryClaimAsync(read, now + TimeSpan.FromSeconds(queueOptions.Value.FeedClaimSeconds), cancellationToken))
            {
                feed = read;
            }
            else if (attempt >= 2)
            {
                // Changed under us three times running: let it settle and look again shortly.
                return new QueuedPollOutcome(QueuedPollStatus.Deferred, RetryAfter: TimeSpan.FromSeconds(5));
            }

            // Otherwise someone changed the feed between the read and the claim (the timer marking it
            // enqueued, another consumer claiming it): read it again and decide again.
        }

        if (feed.AllowPrivate && Uri.TryCreate(feed.Url, UriKind.Absolute, out var own))
        {
            privateHosts.Allow(own.IdnHost);
        }

        var host = Uri.TryCreate(feed.Url, UriKind.Absolute, out var uri) ? uri.IdnHost : feed.Url;
        var admission = await AdmitAsync(host, cancellationToken);
        if (admission.Lease is null)
        {
            // Not fetched: the claim is given back so the deferred message (or the next cycle) may poll it.
            feed.ClaimedUntil = null;
            if (admission.SlowedUntil is { } slowed)
            {
                feed.NextPollAt = slowed;
                await feeds.SaveAsync(feed, cancellationToken);
                return new QueuedPollOutcome(QueuedPollStatus.HostSlowedDown, RetryAfter: slowed - now);
            }

            await feeds.SaveAsync(feed, cancellationToken);
            return new QueuedPollOutcome(QueuedPollStatus.Deferred, RetryAfter: (admission.BusyUntil ?? now) - now + TimeSpan.FromSeconds(Random.Shared.Next(1, 5)));
        }

        FeedPollResult result;
        try
        {
            feed.ClaimedUntil = null; // saved with the feed's health at the end of the poll
            result = await PollFeedAsync(feed, await MatchersAsync(cancellationToken), cancellationToken, fetched =>
                fetched.HttpStatus == 429 || (fetched.HttpStatus == 503 && fetched.RetryAfter is not null)
                    ? hosts.SlowDownAsync(host, time.GetUtcNow() + (fetched.RetryAfter ?? HostGate.DefaultSlowDown), cancellationToken)
                    : Task.CompletedTask);
        }
        finally
        {
            await hosts.ReleaseAsync(admission.Lease, CancellationToken.None);
        }

        return new QueuedPollOutcome(QueuedPollStatus.Polled, result);
    }

    /// <summary>A lease on the host, waiting a little for a busy one; without one the message is deferred.</summary>
    private async Task<HostAdmission> AdmitAsync(string host, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            // This process's consumers queue for the host in memory; only the turn at storage costs a request.
            var admission = await hosts.TryAcquireAsync(host, MaxLeaseWait, cancellationToken);
            if (admission.Lease is not null || admission.SlowedUntil is not null || time.GetElapsedTime(started) >= MaxLeaseWait)
            {
                return admission;
            }

            // Another process holds the host's slots: back off (jittered, doubling) before asking storage again.
            await Task.Delay(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 200)), time, cancellationToken);
            pause = pause * 2 > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : pause * 2;
        }
    }

    private async Task<IReadOnlyList<WatchlistMatcher>> MatchersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_matchers is { } cached && now - cached.At < MatchersFreshFor)
        {
            return cached.Matchers;
        }

        var fresh = await watchlists.GetAllAsync(cancellationToken);
        _matchers = new MatcherCache(fresh, now); // one reference: consumers on other threads see the old or the new pair, never half of each
        return fresh;
    }

    private sealed record MatcherCache(IReadOnlyList<WatchlistMatcher> Matchers, DateTimeOffset At);

    /// <summary>Whether a feed is polled in a cycle starting at <paramref name="now"/>: never tried, or its backoff is over.</summary>
    public static bool IsDue(DateTimeOffset? nextPollAt, DateTimeOffset now) => nextPollAt is null || nextPollAt <= now;

    private async Task<FeedPollResult> PollFeedAsync(FeedEntity feed, IReadOnlyList<WatchlistMatcher> matchers, CancellationToken cancellationToken, Func<FetchResult, Task>? onFetched = null)
    {
        var now = time.GetUtcNow();
        feed.LastAttemptAt = now;
        try
        {
            var fetchStarted = time.GetTimestamp();
            var fetched = await fetcher.FetchAsync(feed.Url, feed.HttpETag, feed.HttpLastModified, cancellationToken);
            metrics.FetchDuration(time.GetElapsedTime(fetchStarted));
            feed.LastStatus = fetched.HttpStatus;
            if (onFetched is not null)
            {
                await onFetched(fetched);
            }

            if (fetched.Status == FetchStatus.NotModified)
            {
                await SucceedAsync(feed, now, fetched, feed.ItemCount, cancellationToken);
                metrics.FeedPolled(FeedOutcome.NotModified, 0, 0, 0);
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
            await recent.AddAsync(feedKey, fresh, now, cancellationToken);
            await seen.MarkSeenAsync(feedKey, known, fresh.SelectMany(i => i.LinkKey is null ? [i.Key] : new[] { i.Key, i.LinkKey }), now, cancellationToken);
            feed.Title = parsed.Title ?? feed.Title;
            await SucceedAsync(feed, now, fetched, items.Count, cancellationToken);
            metrics.FeedPolled(FeedOutcome.Ok, items.Count, fresh.Count, stored);
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
        metrics.FeedPolled(FeedOutcome.Failed, 0, 0, 0);
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
