using Alerts.Core;
using Alerts.Core.Digests;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NCrontab;

namespace Alerts.Cli.Serve;

/// <summary>
/// The local stand-in for the Functions timer triggers (poll, digest, prune): the same NCrontab schedules, the same services.
/// A run in progress when the host stops is cancelled between feeds or digests, never half-way through a write;
/// a run that fails is logged and the next one still comes.
/// </summary>
internal sealed class ScheduleRunner(
    PollDispatcher poll,
    DigestService digests,
    RetentionService retention,
    IOptions<ScheduleOptions> schedules,
    TimeProvider time,
    ILogger<ScheduleRunner> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        RunOnScheduleAsync("poll", schedules.Value.Poll, poll.RunAsync, stoppingToken),
        RunOnScheduleAsync("digest", schedules.Value.Digest, async ct =>
        {
            // The queue consumer may be storing matches while this runs: only settled ones go out.
            var s = await digests.SendDueAsync(force: false, onlyTo: null, DigestService.QueueSettle, ct);
            return $"{s.Sent} sent, {s.Failed} failed";
        }, stoppingToken),
        RunOnScheduleAsync("prune", schedules.Value.Prune, async ct => (await retention.PruneAsync(ct)).ToString(), stoppingToken));

    private async Task RunOnScheduleAsync(string job, string expression, Func<CancellationToken, Task<string>> run, CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            logger.LogInformation("Next {Job} at {NextRun:u}", job, next);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                logger.LogInformation("{Job}: {Summary}", job, await run(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StorageUnavailableException ex)
            {
                logger.LogError("{Job} failed: {Error}; the schedule goes on", job, ex.Message);
            }
            catch (Exception ex)
            {
                // Whatever went wrong in this run, the next one is due on schedule: a timer never stops for good.
                logger.LogError(ex, "{Job} failed; the schedule goes on", job);
            }
        }
    }
}
