using Alerts.Core.Polling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Alerts.Functions;

/// <summary>Polls every due feed on the <c>Alerts:Schedules:Poll</c> schedule, then sends due digests (immediate cadence).</summary>
public sealed class PollFeeds(PollCycle cycle, ILogger<PollFeeds> logger)
{
    [Function(nameof(PollFeeds))]
    public async Task RunAsync([TimerTrigger("%Alerts:Schedules:Poll%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var (poll, digests) = await cycle.RunAsync(null, cancellationToken);
        logger.LogInformation("PollFeeds: {Summary}; {SentCount} digests sent", poll.ToString(), digests.Sent);
    }
}
