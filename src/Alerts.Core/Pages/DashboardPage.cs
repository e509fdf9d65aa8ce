using Alerts.Core.Feeds;
using Alerts.Core.Matches;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Pages;

/// <summary><c>/console</c>: last poll, failing feeds, matches per day per pair of countries, top stories now.</summary>
public sealed class DashboardPage(PageKit kit, MatchService matches, FeedService feeds, RunStore runs, TimeProvider time)
{
    public const int ChartDays = 14;
    private const int MaxPages = 10;

    public Task<IResult> ShowAsync(HttpContext context, CancellationToken cancellationToken) => kit.GuardAsync(context, PageArea.Console, async () =>
    {
        var now = time.GetUtcNow();
        var since = new DateTimeOffset(now.UtcDateTime.Date.AddDays(-(ChartDays - 1)), TimeSpan.Zero);
        var recent = await RecentAsync(since, cancellationToken);
        var chart = MatchChart.From(recent, DateOnly.FromDateTime(now.UtcDateTime), ChartDays);
        var lastPoll = await runs.GetAsync("poll", cancellationToken);
        var feedList = await feeds.ListAsync(cancellationToken);
        var failing = feedList.Where(f => !f.Healthy).ToList();
        var top = recent.Where(m => (m.PublishedAt ?? m.MatchedAt) >= now.AddHours(-48))
            .OrderByDescending(m => m.Score).ThenByDescending(m => m.Sources.Count).Take(5).ToList();

        var failingList = failing.Count == 0
            ? Html.Of($"<p class=\"muted\">Every feed answered on its last try.</p>")
            : Html.Of($"<ul>{Html.Join(failing.Take(10).Select(f => Html.Of($"<li><strong>{f.Title ?? f.Url}</strong> — {f.ConsecutiveFailures} failure(s): {f.LastError}</li>")))}</ul><p><a href=\"/console/feeds\">All feeds</a></p>");
        var topList = top.Count == 0
            ? Html.Of($"<p class=\"muted\">Nothing matched in the last 48 hours.</p>")
            : Html.Of($"<ul class=\"stories\">{Html.Join(top.Select(MatchesPage.Story))}</ul>");
        return kit.Page(context, "Dashboard", Html.Of($"""
            <h1>Dashboard</h1>
            <div class="grid">
            <div class="card"><p class="stat-label">Last poll</p><p class="stat time">{Html.When(lastPoll?.FinishedAt)}</p><p class="small muted">{lastPoll?.Summary ?? "No poll has run yet."}</p></div>
            <div class="card"><p class="stat-label">Feeds failing</p><p class="stat">{failing.Count} <span class="small muted">of {feedList.Count}</span></p></div>
            <div class="card"><p class="stat-label">Matches, last {ChartDays} days</p><p class="stat">{recent.Count}</p></div>
            </div>
            <section class="card" aria-labelledby="per-day"><h2 id="per-day">Matches per day per pair of countries</h2>{chart.Render()}</section>
            <div class="grid">
            <section class="card" aria-labelledby="top"><h2 id="top">Top stories now</h2>{topList}</section>
            <section class="card" aria-labelledby="failing"><h2 id="failing">Failing feeds</h2>{failingList}</section>
            </div>
            """), PageArea.Console, current: "/console");
    });

    /// <summary>The matches since a time, through the service's own paging (bounded).</summary>
    private async Task<List<MatchView>> RecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var all = new List<MatchView>();
        string? continuation = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await matches.ListAsync(new MatchQuery(Since: since, Max: MatchService.MaxPage, Continuation: continuation), cancellationToken);
            all.AddRange(result.Items);
            continuation = result.Continuation;
            if (continuation is null)
            {
                break;
            }
        }

        return all;
    }
}
