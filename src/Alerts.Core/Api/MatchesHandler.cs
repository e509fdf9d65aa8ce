using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Alerts.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Alerts.Core.Api;

/// <summary><c>GET /api/matches?since=&amp;watchlist=&amp;max=&amp;continuation=</c>: stored matches, newest first, paged.</summary>
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

        var max = 50;
        if (request.Query.TryGetValue("max", out var maxText) && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 500))
        {
            return ApiJson.Problem(400, "Invalid query", "'max' must be a whole number from 1 to 500", "max");
        }

        Position? after = null;
        if (request.Query.TryGetValue("continuation", out var token) && !string.IsNullOrEmpty(token))
        {
            after = Position.Parse(token!);
            if (after is null)
            {
                return ApiJson.Problem(400, "Invalid query", "'continuation' is not a token this API gave out", "continuation");
            }
        }

        string? watchlist = request.Query.TryGetValue("watchlist", out var w) && !string.IsNullOrEmpty(w) ? w.ToString() : null;
        var rows = await matches.ListAsync(watchlist, null, int.MaxValue, cancellationToken);
        var ordered = rows
            .Where(r => since is null || When(r) >= since)
            .Select(r => (Row: r, At: Position.Of(r)))
            .OrderByDescending(x => x.At)
            .Where(x => after is null || x.At.CompareTo(after.Value) < 0)
            .Take(max + 1)
            .ToList();
        var page = ordered.Take(max).ToList();
        var next = ordered.Count > max ? page[^1].At.Token() : null;
        return ApiJson.Ok(new { items = page.Select(x => MatchView.From(x.Row)), continuation = next });
    }

    private static DateTimeOffset When(MatchEntity m) => m.PublishedAt ?? m.MatchedAt;

    /// <summary>Where a match sits in the newest-first order; its token is opaque to clients.</summary>
    private readonly record struct Position(long Ticks, string Partition, string Row) : IComparable<Position>
    {
        public static Position Of(MatchEntity m) => new(When(m).UtcTicks, m.PartitionKey, m.RowKey);

        public int CompareTo(Position other)
        {
            var c = Ticks.CompareTo(other.Ticks);
            c = c != 0 ? c : string.CompareOrdinal(Partition, other.Partition);
            return c != 0 ? c : string.CompareOrdinal(Row, other.Row);
        }

        public string Token() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Ticks}|{Partition}|{Row}"));

        public static Position? Parse(string token)
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
                return parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? new Position(ticks, parts[1], parts[2]) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
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
