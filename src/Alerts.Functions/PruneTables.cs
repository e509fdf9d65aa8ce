using Alerts.Core.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Alerts.Functions;

/// <summary>Deletes rows older than their retention (<c>Alerts:Retention</c>) on the <c>Alerts:Schedules:Prune</c> schedule.</summary>
public sealed class PruneTables(RetentionService retention, ILogger<PruneTables> logger)
{
    [Function(nameof(PruneTables))]
    public async Task RunAsync([TimerTrigger("%Alerts:Schedules:Prune%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var summary = await retention.PruneAsync(cancellationToken);
        logger.LogInformation("PruneTables: {Summary}", summary.ToString());
    }
}
