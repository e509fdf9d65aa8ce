using System.Text.Json;
using Alerts.Core.Storage;
using Azure.Storage.Queues.Models;

namespace Alerts.Core.Polling;

/// <summary>
/// A message of the <c>poll-feeds</c> queue: poll this feed. <paramref name="EnqueuedAt"/> tells a
/// second delivery of the same message from a new one: a feed attempted since then is not polled again.
/// </summary>
public sealed record PollFeedMessage(string FeedUrl, DateTimeOffset EnqueuedAt)
{
    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    /// <summary>The message, or null when the text is not one (it then goes to the poison queue, counted in health).</summary>
    public static PollFeedMessage? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize<PollFeedMessage>(text, JsonSerializerOptions.Web);
            return message is { FeedUrl.Length: > 0 } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>How long the poll queue is and how old its oldest message; and the poison queue beside it.</summary>
public sealed record PollQueueStats(int Length, TimeSpan? OldestAge, int Poison);

/// <summary>A message that failed every delivery, as <c>alerts feeds list</c> shows it.</summary>
public sealed record PoisonMessage(string? FeedUrl, DateTimeOffset? InsertedAt, string Text);

/// <summary>The <c>poll-feeds</c> queue and its poison queue: enqueue, measure, list and requeue.</summary>
public sealed class PollQueueClient(QueueStorage queues, TimeProvider time)
{
    /// <summary>Sends in flight at once: the queue service takes one message per request, so a cycle's sends go in parallel.</summary>
    public const int SendParallelism = 32;

    /// <summary>Enqueues one message per feed; returns how many were sent.</summary>
    public async Task<int> EnqueueAsync(IEnumerable<string> feedUrls, DateTimeOffset enqueuedAt, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(QueueNames.PollFeeds, cancellationToken);
        var sent = 0;
        await Parallel.ForEachAsync(
            feedUrls,
            new ParallelOptions { MaxDegreeOfParallelism = SendParallelism, CancellationToken = cancellationToken },
            async (url, ct) =>
            {
                await queue.SendMessageAsync(new PollFeedMessage(url, enqueuedAt).ToJson(), ct);
                Interlocked.Increment(ref sent);
            });
        return sent;
    }

    /// <summary>Sends one message that becomes visible only after <paramref name="delay"/> (a feed deferred while another consumer or the host's limit has it).</summary>
    public async Task DeferAsync(PollFeedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(QueueNames.PollFeeds, cancellationToken);
        var bounded = delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay > TimeSpan.FromDays(6) ? TimeSpan.FromDays(6) : delay;
        await queue.SendMessageAsync(message.ToJson(), visibilityTimeout: bounded, cancellationToken: cancellationToken);
    }

    public async Task<PollQueueStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(QueueNames.PollFeeds, cancellationToken);
        var poison = await queues.GetAsync(QueueNames.PollFeedsPoison, cancellationToken);
        var length = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        var poisonLength = (await poison.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        // The head of the queue is (about) its oldest visible message: its age says how far behind the consumers are.
        PeekedMessage[] head = (await queue.PeekMessagesAsync(1, cancellationToken)).Value;
        TimeSpan? age = head.Length > 0 && head[0].InsertedOn is { } inserted ? time.GetUtcNow() - inserted : null;
        return new PollQueueStats(length, age, poisonLength);
    }

    /// <summary>Up to 32 poison messages (a peek: they stay where they are).</summary>
    public async Task<IReadOnlyList<PoisonMessage>> PeekPoisonAsync(CancellationToken cancellationToken)
    {
        var poison = await queues.GetAsync(QueueNames.PollFeedsPoison, cancellationToken);
        PeekedMessage[] peeked = (await poison.PeekMessagesAsync(32, cancellationToken)).Value;
        return [.. peeked.Select(m =>
        {
            var text = m.Body.ToString();
            return new PoisonMessage(PollFeedMessage.Parse(text)?.FeedUrl, m.InsertedOn, text);
        })];
    }

    /// <summary>
    /// Moves every poison message back to <c>poll-feeds</c> with a fresh <see cref="PollFeedMessage.EnqueuedAt"/>.
    /// Each is sent before it is deleted: a crash in between leaves a copy in both (a feed polled twice
    /// stores nothing twice), never in neither. Unreadable messages are dropped; they name no feed.
    /// </summary>
    /// <returns>How many feeds were requeued, and how many unreadable messages were dropped.</returns>
    public async Task<(int Requeued, int Dropped)> RetryPoisonAsync(CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(QueueNames.PollFeeds, cancellationToken);
        var poison = await queues.GetAsync(QueueNames.PollFeedsPoison, cancellationToken);
        int requeued = 0, dropped = 0;
        var now = time.GetUtcNow();
        while (true)
        {
            QueueMessage[] batch = (await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken)).Value;
            if (batch.Length == 0)
            {
                return (requeued, dropped);
            }

            foreach (var message in batch)
            {
                if (PollFeedMessage.Parse(message.Body.ToString()) is { } parsed)
                {
                    await queue.SendMessageAsync((parsed with { EnqueuedAt = now }).ToJson(), cancellationToken);
                    requeued++;
                }
                else
                {
                    dropped++;
                }

                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
        }
    }
}
