using Alerts.Core.Polling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Alerts.Functions;

/// <summary>Polls every due feed on the <c>Alerts:Schedules:Poll</c> schedule.</summary>
public sealed class PollFeeds(PollService poll, ILogger<PollFeeds> logger)
{
    [Function(nameof(PollFeeds))]
    public async Task RunAsync([TimerTrigger("%Alerts:Schedules:Poll%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await poll.RunOnceAsync(null, cancellationToken);
        logger.LogInformation("PollFeeds: {Summary}", summary.ToString());
    }
}
