using Alerts.Core.Digests;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Alerts.Functions;

/// <summary>Sends due digests on the <c>Alerts:Schedules:Digest</c> schedule.</summary>
public sealed class SendDigests(DigestService digests, ILogger<SendDigests> logger)
{
    [Function(nameof(SendDigests))]
    public async Task RunAsync([TimerTrigger("%Alerts:Schedules:Digest%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // Queue consumers may be storing matches while this runs: only settled ones go out.
        var summary = await digests.SendDueAsync(force: false, onlyTo: null, DigestService.QueueSettle, cancellationToken);
        logger.LogInformation("SendDigests: {SentCount} sent, {FailedCount} failed", summary.Sent, summary.Failed);
    }
}
