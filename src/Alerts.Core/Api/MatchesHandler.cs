using System.Globalization;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary><c>GET /api/matches?since=&amp;watchlist=&amp;max=</c>: stored matches, newest first.</summary>
public sealed class MatchesHandler(MatchStore matches)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = null;
        if (request.Query.TryGetValue("since", out var sinceText) && !string.IsNullOrEmpty(sinceText))
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return ApiJson.Problem(400, "Invalid query", "'since' must be an ISO 8601 date or time", "since");
            }

            since = parsed;
        }

        var max = 100;
        if (request.Query.TryGetValue("max", out var maxText) && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 1000))
        {
            return ApiJson.Problem(400, "Invalid query", "'max' must be a whole number from 1 to 1000", "max");
        }

        string? watchlist = request.Query.TryGetValue("watchlist", out var w) && !string.IsNullOrEmpty(w) ? w.ToString() : null;
        var rows = await matches.ListAsync(watchlist, null, int.MaxValue, cancellationToken);
        var items = rows.Where(r => since is null || (r.PublishedAt ?? r.MatchedAt) >= since).Take(max).Select(MatchView.From);
        return ApiJson.Ok(new { items });
    }
}

/// <summary>A stored match as the API and <c>alerts matches --json</c> show it.</summary>
public sealed record MatchView(
    string Id,
    string Watchlist,
    string Title,
    string? Link,
    IReadOnlyList<string> Sources,
    DateTimeOffset? PublishedAt,
    DateTimeOffset MatchedAt,
    double Score,
    IReadOnlyList<string> Entities,
    IReadOnlyList<string> Topics,
    string? Evidence,
    string? Reason)
{
    public static MatchView From(MatchEntity m) => new(
        m.RowKey,
        m.PartitionKey,
        m.Title,
        m.Link,
        m.SourceList,
        m.PublishedAt,
        m.MatchedAt,
        m.Score,
        Split(m.Entities),
        Split(m.Topics),
        m.Evidence,
        m.Reason);

    private static string[] Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
