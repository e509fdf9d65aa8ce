using Alerts.Core.Polling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Alerts.Functions;

/// <summary>
/// On the <c>Alerts:Schedules:Poll</c> schedule: polls the due feeds in-process while they fit one queue
/// batch, otherwise enqueues one <c>poll-feeds</c> message per due feed for <see cref="PollFeed"/>; then
/// sends due digests.
/// </summary>
public sealed class PollFeeds(PollDispatcher dispatcher, ILogger<PollFeeds> logger)
{
    [Function(nameof(PollFeeds))]
    public async Task RunAsync([TimerTrigger("%Alerts:Schedules:Poll%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await dispatcher.RunAsync(cancellationToken);
        logger.LogInformation("PollFeeds: {Summary}", summary);
    }
}
