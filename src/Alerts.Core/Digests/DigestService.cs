using Alerts.Core.Email;
using Alerts.Core.Storage;
using Azure;
using Microsoft.Extensions.Logging;

namespace Alerts.Core.Digests;

public sealed record DigestSummary(int Subscribers, int Sent, int Skipped, int Failed, IReadOnlyList<string> Errors);

/// <summary>
/// Sends each due subscriber the matches stored since their watermark. A digest is recorded before it
/// is sent and marked sent after the provider accepted it; only then does the watermark move. The
/// digest's id is derived from its content, so a second run never builds a second digest for the same stories.
/// </summary>
public sealed class DigestService(
    SubscriberStore subscribers,
    MatchStore matches,
    DigestStore digests,
    IEmailSender sender,
    TimeProvider time,
    ILogger<DigestService> logger)
{
    private const int MaxStoriesPerDigest = 50;

    /// <param name="force">Send now to every confirmed subscriber, whatever their cadence.</param>
    /// <param name="onlyTo">Only this address.</param>
    public async Task<DigestSummary> SendDueAsync(bool force, string? onlyTo, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int considered = 0, sent = 0, skipped = 0, failed = 0;
        var errors = new List<string>();
        foreach (var subscriber in await subscribers.ListAsync(cancellationToken))
        {
            if (!subscriber.Confirmed || (onlyTo is not null && !subscriber.Email.Equals(onlyTo, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            considered++;
            if (!force && !Cadence.IsDue(subscriber.Cadence, subscriber.LastDigestAt, now))
            {
                skipped++;
                continue;
            }

            try
            {
                if (await SendOneAsync(subscriber, now, cancellationToken))
                {
                    sent++;
                }
                else
                {
                    skipped++;
                }
            }
            catch (EmailSendException ex)
            {
                failed++;
                errors.Add($"{subscriber.Email}: {ex.Message}");
                logger.LogWarning("Digest for {Recipient} not sent: {Error}", subscriber.Email, ex.Message);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Another run changed this subscriber meanwhile; it has done or will do this work.
                skipped++;
            }
        }

        return new DigestSummary(considered, sent, skipped, failed, errors);
    }

    private async Task<bool> SendOneAsync(SubscriberEntity subscriber, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stories = new Dictionary<string, MatchEntity>(StringComparer.Ordinal);
        foreach (var watchlist in subscriber.WatchlistList)
        {
            foreach (var match in await matches.ListAsync(watchlist, subscriber.Watermark, int.MaxValue, cancellationToken))
            {
                // One entry per story even when several of the subscriber's watchlists flagged it.
                if (!stories.TryGetValue(match.RowKey, out var known) || known.Score < match.Score)
                {
                    stories[match.RowKey] = match;
                }
            }
        }

        if (stories.Count == 0)
        {
            return false; // no matches, no email
        }

        // Cap the digest, but never between two matches stored at the same instant: the watermark
        // is a timestamp, and a story left behind at the watermark would be lost.
        var ordered = stories.Values.OrderBy(s => s.MatchedAt).ToList();
        var upTo = ordered[Math.Min(ordered.Count, MaxStoriesPerDigest) - 1].MatchedAt;
        var included = ordered.Where(s => s.MatchedAt <= upTo).ToList();
        var digestId = DigestStore.IdOf(upTo);
        var record = await digests.GetAsync(subscriber.RowKey, digestId, cancellationToken);
        if (record?.Status == DigestStatus.Sent)
        {
            // Sent before, but the watermark did not move (a crash in between): move it, send nothing.
            await AdvanceAsync(subscriber, upTo, record.SentAt ?? now, cancellationToken);
            return false;
        }

        var message = DigestComposer.Compose(subscriber, included, digestId);
        record ??= new DigestEntity { PartitionKey = subscriber.RowKey, RowKey = digestId, To = subscriber.Email, CreatedAt = now };
        record.Subject = message.Subject;
        record.StoryCount = included.Count;
        record.UpTo = upTo;
        record.Attempts++;
        await digests.SaveAsync(record, cancellationToken);

        try
        {
            await sender.SendAsync(message, cancellationToken);
        }
        catch (EmailSendException ex)
        {
            record.LastError = ex.Message;
            await digests.SaveAsync(record, cancellationToken);
            throw;
        }

        record.Status = DigestStatus.Sent;
        record.SentAt = now;
        record.LastError = null;
        await digests.SaveAsync(record, cancellationToken);
        await AdvanceAsync(subscriber, upTo, now, cancellationToken);
        logger.LogInformation("Digest {DigestId} with {StoryCount} stories sent to {Recipient}", digestId, included.Count, subscriber.Email);
        return true;
    }

    private async Task AdvanceAsync(SubscriberEntity subscriber, DateTimeOffset upTo, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        subscriber.Watermark = upTo;
        subscriber.LastDigestAt = sentAt;
        await subscribers.SaveAsync(subscriber, cancellationToken);
    }
}
