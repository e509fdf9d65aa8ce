using Alerts.Core.Digests;
using Alerts.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Polling;

/// <summary>
/// What the poll timer does (the Functions <c>PollFeeds</c> trigger, <c>alerts serve</c>'s timer): either
/// the whole cycle in-process (<see cref="PollCycle"/>), or — past one queue batch of due feeds, or when
/// configured — one message per due feed on <c>poll-feeds</c> for the queue consumers (Functions instances,
/// <c>alerts worker</c> processes), then the digests that are due.
/// </summary>
public sealed class PollDispatcher(
    FeedStore feeds,
    PollCycle cycle,
    PollQueueClient queue,
    DigestService digests,
    RunStore runs,
    AlertsMetrics metrics,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<PollDispatcher> logger)
{
    /// <summary>
    /// A feed enqueued this long ago and still not attempted is enqueued again: its message went to the
    /// poison queue or was lost with a crash between send and mark. Until then it is not enqueued twice,
    /// so a queue that falls behind the timer does not fill with copies.
    /// </summary>
    public static readonly TimeSpan EnqueuedStaleAfter = TimeSpan.FromHours(1);

    /// <returns>One line for the log and the run record.</returns>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var list = await feeds.ListAsync(cancellationToken);
        var due = list.Where(f => !f.Paused && PollService.IsDue(f.NextPollAt, started)).ToList(); // paused by an admin: not enqueued
        if (ModeFor(due.Count) == PollMode.InProcess)
        {
            var (polled, sent) = await cycle.RunAsync(null, cancellationToken);
            return $"{polled}; {sent.Sent} digest(s) sent";
        }

        var queued = due.Where(f => IsQueued(f, started)).ToList();
        // Interleaved by host: consumers take messages about in order, and a run of one publisher's feeds would queue on its per-host leases.
        var toSend = FeedOrder.InterleaveByHost(due.Except(queued));
        // Sent before marked: a crash in between leaves messages without marks (the feed is enqueued
        // again next cycle and its second message finds it done), never marks without messages.
        var sentCount = await queue.EnqueueAsync(toSend.Select(f => f.Url), started, cancellationToken);
        await feeds.MarkEnqueuedAsync(toSend, started, cancellationToken);
        var stats = await queue.GetStatsAsync(cancellationToken);
        metrics.Queue(stats.Length, stats.OldestAge, stats.Poison);
        // Consumers may be storing matches right now: only settled matches go into digests.
        var digest = await digests.SendDueAsync(force: false, onlyTo: null, DigestService.QueueSettle, cancellationToken);
        var summary = $"{sentCount} feed(s) enqueued on {QueueNames.PollFeeds}, {queued.Count} still queued, {list.Count - due.Count} skipped while backing off; "
            + $"queue length {stats.Length}, {stats.Poison} poison; {digest.Sent} digest(s) sent";
        await runs.RecordAsync("poll", started, time.GetUtcNow(), summary, cancellationToken);
        logger.LogInformation("Poll dispatched: {EnqueuedCount} feeds enqueued, {QueuedCount} still queued, queue length {QueueLength}, {PoisonCount} poison", sentCount, queued.Count, stats.Length, stats.Poison);
        return summary;
    }

    /// <summary>In-process or through the queue, for this many due feeds.</summary>
    public PollMode ModeFor(int dueFeeds) => options.Value.Mode switch
    {
        PollMode.Auto => dueFeeds > options.Value.BatchSize ? PollMode.Queue : PollMode.InProcess,
        var mode => mode,
    };

    /// <summary>Enqueued by an earlier cycle, not attempted since, and not so long ago that its message must be gone.</summary>
    public static bool IsQueued(FeedEntity feed, DateTimeOffset now) =>
        feed.EnqueuedAt is { } enqueued && (feed.LastAttemptAt is null || feed.LastAttemptAt < enqueued) && now - enqueued < EnqueuedStaleAfter;
}
