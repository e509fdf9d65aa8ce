using Alerts.Core.Email;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Digests;

/// <summary>A digest that went out: to whom, how many stories, and where the sender put it (an .eml path or the provider's message id).</summary>
public sealed record SentDigest(string To, string DigestId, int Stories, string Where);

/// <param name="Delivered">One entry per digest sent in this run, in the order sent.</param>
public sealed record DigestSummary(int Subscribers, int Skipped, int Failed, IReadOnlyList<string> Errors, IReadOnlyList<SentDigest> Delivered)
{
    public int Sent => Delivered.Count;
}

/// <summary>
/// Sends each due subscriber the matches stored since their watermark, exactly once:
/// <list type="number">
/// <item>the digest's id is the subscriber and the newest match it covers, so a second run builds the same digest;</item>
/// <item>it is recorded, then claimed with an ETag-conditional update: of two runs (a timer that fires twice) one wins, the other skips;</item>
/// <item>after the provider's 202 it is marked sent, and only then does the watermark move;</item>
/// <item>a claim left by a crash is resolved by asking the sender whether the message went out: resent only if it did not.</item>
/// </list>
/// A 429 or 5xx leaves the digest failed and the watermark where it was: the next run sends it.
/// </summary>
public sealed class DigestService(
    ISubscriberStore subscribers,
    IMatchStore matches,
    IDigestStore digests,
    IEmailSender sender,
    TokenService tokens,
    AlertsMetrics metrics,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<DigestService> logger)
{
    private const int MaxStoriesPerDigest = 50;

    /// <summary>How long a run owns a claimed digest; a crashed run's claim expires after this.</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How old a match must be before a run that may overlap queue consumers includes it. A consumer
    /// stamps <see cref="MatchEntity.MatchedAt"/> just before its write, and the watermark moves to the
    /// newest match sent: without this margin, a match stamped a moment earlier but written a moment
    /// later than one already sent would fall behind the watermark and never be sent. A write takes at
    /// most the storage client's timeouts and retries (about 1.5 minutes); the margin is twice that.
    /// </summary>
    public static readonly TimeSpan QueueSettle = TimeSpan.FromMinutes(3);

    /// <param name="force">Send now to every confirmed subscriber, whatever their cadence.</param>
    /// <param name="onlyTo">Only this address.</param>
    public Task<DigestSummary> SendDueAsync(bool force, string? onlyTo, CancellationToken cancellationToken) =>
        SendDueAsync(force, onlyTo, TimeSpan.Zero, cancellationToken);

    /// <param name="settle">Leave matches stored in the last <paramref name="settle"/> to a later run:
    /// <see cref="QueueSettle"/> when queue consumers may be storing matches right now, zero right after
    /// an in-process poll has finished its writes.</param>
    public async Task<DigestSummary> SendDueAsync(bool force, string? onlyTo, TimeSpan settle, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settledBy = now - settle;
        int considered = 0, skipped = 0, failed = 0;
        var errors = new List<string>();
        var delivered = new List<SentDigest>();
        foreach (var subscriber in await subscribers.ListAsync(cancellationToken))
        {
            if (!subscriber.Confirmed || subscriber.Paused || (onlyTo is not null && !subscriber.Email.Equals(onlyTo, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            considered++;
            if (!force && !Cadence.IsDue(subscriber.Cadence, subscriber.TimeZone, subscriber.LastDigestAt, now))
            {
                skipped++;
                continue;
            }

            try
            {
                if (await SendOneAsync(subscriber, now, settledBy, cancellationToken) is { } sentDigest)
                {
                    delivered.Add(sentDigest);
                }
                else
                {
                    skipped++;
                }
            }
            catch (EmailSendException ex)
            {
                failed++;
                metrics.DigestFailed();
                errors.Add($"{subscriber.Email}: {ex.Message}");
                logger.LogWarning("Digest for {Recipient} not sent: {Error}", subscriber.Email, ex.Message);
            }
        }

        return new DigestSummary(considered, skipped, failed, errors, delivered);
    }

    /// <returns>The digest sent, or null when nothing was sent (nothing new, already sent, or another run has it).</returns>
    private async Task<SentDigest?> SendOneAsync(SubscriberEntity subscriber, DateTimeOffset now, DateTimeOffset settledBy, CancellationToken cancellationToken)
    {
        var stories = new Dictionary<string, MatchEntity>(StringComparer.Ordinal);
        foreach (var watchlist in subscriber.WatchlistList)
        {
            // The oldest matches after the watermark, a digest's worth per watchlist (never the whole partition):
            // the oldest of their union are the oldest overall.
            foreach (var match in await matches.ListOldestAsync(watchlist, subscriber.Watermark, settledBy, MaxStoriesPerDigest, cancellationToken))
            {
                // One entry per story even when several of the subscriber's watchlists flagged it.
                var story = match.StoryKey is { Length: > 0 } key ? key : match.RowKey;
                if (!stories.TryGetValue(story, out var known) || known.Score < match.Score)
                {
                    stories[story] = match;
                }
            }
        }

        if (stories.Count == 0)
        {
            return null; // no matches, no email
        }

        // Cap the digest, but never between two matches stored at the same instant: the watermark
        // is a timestamp, and a story left behind at the watermark would be lost.
        var ordered = stories.Values.OrderBy(s => s.MatchedAt).ToList();
        var upTo = ordered[Math.Min(ordered.Count, MaxStoriesPerDigest) - 1].MatchedAt;
        var included = ordered.Where(s => s.MatchedAt <= upTo).ToList();
        var digestId = DigestStore.IdOf(upTo);

        var record = new DigestEntity { PartitionKey = subscriber.RowKey, RowKey = digestId, To = subscriber.Email, CreatedAt = now, UpTo = upTo, StoryCount = included.Count };
        if (!await digests.TryAddAsync(record, cancellationToken))
        {
            record = await digests.GetAsync(subscriber.RowKey, digestId, cancellationToken) ?? throw new InvalidOperationException($"digest {digestId} vanished");
        }

        switch (record.Status)
        {
            case DigestStatus.Sent or DigestStatus.Unconfirmed:
                // Sent before, but the watermark did not move (a crash in between): move it, send nothing.
                await AdvanceAsync(subscriber, upTo, record.SentAt ?? now, cancellationToken);
                return null;
            case DigestStatus.Sending when record.ClaimedUntil > now:
                return null; // another run is sending it right now
            case DigestStatus.Sending:
                // A run died while sending: ask before sending again.
                var delivery = await sender.WasSentAsync(subscriber.Email, digestId, cancellationToken);
                if (delivery != Delivery.NotSent)
                {
                    record.Status = delivery == Delivery.Sent ? DigestStatus.Sent : DigestStatus.Unconfirmed;
                    record.SentAt ??= record.ClaimedUntil - ClaimLifetime;
                    record.LastError = delivery == Delivery.Sent ? null : "the sending run stopped mid-send and the provider could not confirm delivery; not re-sent";
                    record.ClaimedUntil = null;
                    if (await digests.TryUpdateAsync(record, cancellationToken))
                    {
                        logger.LogWarning("Digest {DigestId} for {Recipient} recovered after an interrupted send: {Status}", digestId, subscriber.Email, record.Status);
                        await AdvanceAsync(subscriber, upTo, record.SentAt ?? now, cancellationToken);
                    }

                    return null;
                }

                break;
        }

        var message = DigestComposer.Compose(subscriber, included, digestId, UnsubscribeUrl(subscriber.Email), ManageUrl(subscriber.Email));
        record.Status = DigestStatus.Sending;
        record.ClaimedUntil = now + ClaimLifetime;
        record.Subject = message.Subject;
        record.Attempts++;
        if (!await digests.TryUpdateAsync(record, cancellationToken))
        {
            return null; // a concurrent run claimed it first
        }

        string where;
        try
        {
            where = await sender.SendAsync(message, cancellationToken);
        }
        catch (EmailSendException ex)
        {
            // Not accepted: nothing went out, so the next run may send it.
            record.Status = DigestStatus.Failed;
            record.ClaimedUntil = null;
            record.LastError = ex.Message;
            await digests.TryUpdateAsync(record, cancellationToken);
            throw;
        }

        record.Status = DigestStatus.Sent;
        record.SentAt = time.GetUtcNow();
        record.ClaimedUntil = null;
        record.LastError = null;
        await digests.TryUpdateAsync(record, cancellationToken);
        metrics.DigestSent();
        await AdvanceAsync(subscriber, upTo, record.SentAt.Value, cancellationToken);
        logger.LogInformation("Digest {DigestId} with {StoryCount} stories sent to {Recipient}", digestId, included.Count, subscriber.Email);
        return new SentDigest(subscriber.Email, digestId, included.Count, where);
    }

    private string UnsubscribeUrl(string email) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/unsubscribe?token={tokens.Create(TokenPurpose.Unsubscribe, email, TokenService.UnsubscribeLifetime)}";

    private string ManageUrl(string email) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}/manage?token={tokens.Create(TokenPurpose.Manage, email, TokenService.ManageLifetime)}";

    private async Task AdvanceAsync(SubscriberEntity subscriber, DateTimeOffset upTo, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        if (subscriber.Watermark >= upTo)
        {
            return;
        }

        subscriber.Watermark = upTo;
        subscriber.LastDigestAt = sentAt;
        // False when another run moved it meanwhile: that run did or will do the same, from the same digest record.
        await subscribers.TrySaveAsync(subscriber, cancellationToken);
    }
}
