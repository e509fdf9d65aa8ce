namespace Alerts.Core.Polling;

/// <summary>
/// What every consumer of <c>poll-feeds</c> does with one message (the Functions <c>PollFeed</c> trigger,
/// <c>alerts serve</c> and <c>alerts worker</c>): poll the feed; when it is deferred (another consumer has it,
/// or its host asked to wait), send a copy that comes back later. The consumer cannot hold the message it
/// has for that long without the delivery counting as a failure.
/// </summary>
public sealed class PollFeedConsumer(PollService poll, PollQueueClient queue)
{
    public async Task<QueuedPollOutcome> HandleAsync(PollFeedMessage message, CancellationToken cancellationToken)
    {
        var outcome = await poll.PollFeedAsync(message, cancellationToken);
        if (outcome is { Status: QueuedPollStatus.Deferred, RetryAfter: { } delay })
        {
            await queue.DeferAsync(message, delay, cancellationToken);
        }

        return outcome;
    }
}
