using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Alerts.Functions;

/// <summary>
/// One <c>poll-feeds</c> message = one feed polled (<see cref="PollFeedConsumer"/>).
/// host.json's <c>extensions.queues</c> bounds the work per instance; Flex Consumption adds instances as
/// the queue grows. The trigger listens through the host's storage connection (<c>AzureWebJobsStorage</c>,
/// the same account as <c>Alerts:Storage</c> in infra/): a connection name with ':' is not understood by
/// the platform's scale controller. A message that throws <c>maxDequeueCount</c> times is moved to
/// <c>poll-feeds-poison</c> by the host.
/// </summary>
public sealed class PollFeed(PollFeedConsumer consumer, ILogger<PollFeed> logger)
{
    [Function(nameof(PollFeed))]
    public async Task RunAsync([QueueTrigger(QueueNames.PollFeeds)] string message, CancellationToken cancellationToken)
    {
        // An unreadable message names no feed: throwing sends it to the poison queue, where health counts it.
        var parsed = PollFeedMessage.Parse(message) ?? throw new FormatException($"not a {QueueNames.PollFeeds} message: {message[..Math.Min(message.Length, 200)]}");
        var outcome = await consumer.HandleAsync(parsed, cancellationToken);

        logger.LogInformation("PollFeed {FeedUrl}: {Status} {Result}", parsed.FeedUrl, outcome.Status, outcome.Result?.Error ?? "");
    }
}
