using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary><c>GET /api/health</c>: storage reachable, time of the last poll, feeds failing.</summary>
public sealed class HealthHandler(RunStore runs, FeedStore feeds, PublicRateLimiter limiter)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (limiter.Check(request) is { } limited)
        {
            return limited;
        }

        try
        {
            var lastPoll = await runs.GetAsync("poll", cancellationToken);
            var failing = (await feeds.ListAsync(cancellationToken))
                .Where(f => f.ConsecutiveFailures > 0)
                .Select(f => new { url = f.Url, consecutiveFailures = f.ConsecutiveFailures, lastError = f.LastError })
                .ToList();
            return ApiJson.Ok(new
            {
                status = failing.Count == 0 ? "ok" : "degraded",
                storage = "reachable",
                lastPoll = lastPoll?.FinishedAt,
                lastPollSummary = lastPoll?.Summary,
                failingFeeds = failing,
            });
        }
        catch (StorageUnavailableException ex)
        {
            return ApiJson.Problem(503, "Storage unreachable", ex.Message);
        }
    }
}
