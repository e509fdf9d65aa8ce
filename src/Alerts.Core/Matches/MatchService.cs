using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Alerts.Core.Storage;

namespace Alerts.Core.Matches;

/// <summary>A stored match as the API, <c>alerts matches --json</c> and the pages show it.</summary>
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
    string? Reason,
    IReadOnlyList<Matching.Highlight>? Highlights = null,
    IReadOnlyList<Matching.Hit>? Hits = null)
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
        m.Reason,
        m.Evidence is null ? null : m.HighlightList,
        HitsOf(m.Hits));

    private static List<Matching.Hit>? HitsOf(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<List<Matching.Hit>>(json, System.Text.Json.JsonSerializerOptions.Web);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // written by an older version in another shape: the explanation still has its sentence
        }
    }

    private static string[] Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Which matches: of one watchlist (or all), published (or stored) since a time, a page at a time; optionally only up to a time and only those that pass <see cref="Filter"/>.</summary>
public sealed record MatchQuery(string? Watchlist = null, DateTimeOffset? Since = null, int Max = 50, string? Continuation = null, DateTimeOffset? Until = null, MatchFilter? Filter = null);

/// <summary>
/// What the console filters on beside watchlist and dates: a pair of entity groups that must both be
/// named, a topic group, and a source (part of a feed URL).
/// </summary>
public sealed record MatchFilter(string? EntityA = null, string? EntityB = null, string? Topic = null, string? Source = null)
{
    public bool Accepts(MatchEntity m)
    {
        var entities = m.Entities.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (EntityA is null || entities.Contains(EntityA, StringComparer.OrdinalIgnoreCase))
            && (EntityB is null || entities.Contains(EntityB, StringComparer.OrdinalIgnoreCase))
            && (Topic is null || m.Topics.Split(',', StringSplitOptions.TrimEntries).Contains(Topic, StringComparer.OrdinalIgnoreCase))
            && (Source is null || m.Sources.Contains(Source, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>A page of matches, newest first; <see cref="Continuation"/> asks for the next one.</summary>
public sealed record MatchPage(IReadOnlyList<MatchView> Items, string? Continuation);

/// <summary>A query that cannot be answered; <see cref="Field"/> names the bad part.</summary>
public sealed class MatchQueryException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>What matched, newest first, for the API, <c>alerts matches</c> and the pages: one "since" rule, one paging rule.</summary>
public sealed class MatchService(MatchStore matches)
{
    public const int MaxPage = 500;

    public async Task<MatchPage> ListAsync(MatchQuery query, CancellationToken cancellationToken)
    {
        if (query.Max is < 1 or > MaxPage)
        {
            throw new MatchQueryException("max", $"must be a whole number from 1 to {MaxPage}");
        }

        Position? after = null;
        if (!string.IsNullOrEmpty(query.Continuation))
        {
            after = Position.Parse(query.Continuation) ?? throw new MatchQueryException("continuation", "is not a token this service gave out");
        }

        var rows = await matches.ListAsync(query.Watchlist, null, int.MaxValue, cancellationToken);
        var ordered = rows
            .Where(r => (query.Since is null || When(r) >= query.Since) && (query.Until is null || When(r) < query.Until) && (query.Filter?.Accepts(r) ?? true))
            .Select(r => (Row: r, At: Position.Of(r)))
            .OrderByDescending(x => x.At)
            .Where(x => after is null || x.At.CompareTo(after.Value) < 0)
            .Take(query.Max + 1)
            .ToList();
        var page = ordered.Take(query.Max).ToList();
        var next = ordered.Count > query.Max ? page[^1].At.Token() : null;
        return new MatchPage([.. page.Select(x => MatchView.From(x.Row))], next);
    }

    /// <summary>A date as people write it (ISO 8601, UTC unless it says otherwise); null when it is not one.</summary>
    public static DateTimeOffset? ParseSince(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

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
