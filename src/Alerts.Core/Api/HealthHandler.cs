using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using NCrontab;

namespace Alerts.Core.Api;

/// <summary>A feed that is failing, as health reports it.</summary>
public sealed record FailingFeed(string Url, int ConsecutiveFailures, string? LastError);

/// <summary>The poll queue as health reports it: messages waiting, the oldest one's age, and messages that failed every delivery.</summary>
public sealed record QueueHealth(int Length, double? OldestAgeSeconds, int Poison);

/// <summary>Answer of <c>GET /api/health</c>.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<string> Problems, string Storage, DateTimeOffset? LastPoll, string? LastPollSummary, bool PollStale, IReadOnlyList<FailingFeed> FailingFeeds, QueueHealth Queue);

/// <summary>
/// <c>GET /api/health</c>: storage reachable, time of the last poll, feeds failing, the poll queue.
/// <c>degraded</c> when a feed fails, the last poll is older than two poll intervals (the timer is not
/// running) or poll messages sit in the poison queue; 503 when storage cannot be reached.
/// </summary>
public sealed class HealthHandler(RunStore runs, FeedStore feeds, Polling.PollQueueClient queue, IOptions<ScheduleOptions> schedules, TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var lastPoll = await runs.GetAsync("poll", cancellationToken);
            var failing = (await feeds.ListFailingAsync(cancellationToken))
                .Select(f => new FailingFeed(f.Url, f.ConsecutiveFailures, f.LastError))
                .ToList();
            var stale = lastPoll is not null && IsStale(lastPoll.FinishedAt, time.GetUtcNow());
            var problems = new List<string>();
            if (stale)
            {
                problems.Add($"the last poll finished at {lastPoll!.FinishedAt:u}, more than two poll intervals ago");
            }

            if (failing.Count > 0)
            {
                problems.Add($"{failing.Count} feed(s) failing");
            }

            var stats = await queue.GetStatsAsync(cancellationToken);
            if (stats.Poison > 0)
            {
                problems.Add($"{stats.Poison} poll message(s) in {QueueNames.PollFeedsPoison}; see alerts feeds list, requeue with alerts feeds retry");
            }

            var queueHealth = new QueueHealth(stats.Length, stats.OldestAge is { } age ? Math.Round(age.TotalSeconds, 1) : null, stats.Poison);
            return ApiJson.Ok(new HealthReport(problems.Count == 0 ? "ok" : "degraded", problems, "reachable", lastPoll?.FinishedAt, lastPoll?.Summary, stale, failing, queueHealth));
        }
        catch (Exception ex) when (ApiJson.ForFailure(ex, request.HttpContext) is { } unavailable)
        {
            return unavailable;
        }
    }

    /// <summary>True when two scheduled polls should have finished since <paramref name="lastPoll"/>.</summary>
    private bool IsStale(DateTimeOffset lastPoll, DateTimeOffset now)
    {
        var schedule = CrontabSchedule.Parse(schedules.Value.Poll, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var first = schedule.GetNextOccurrence(lastPoll.UtcDateTime);
        var second = schedule.GetNextOccurrence(first);
        return now.UtcDateTime > second;
    }
}
