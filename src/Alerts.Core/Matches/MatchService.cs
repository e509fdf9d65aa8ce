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
        m.StoryKey is { Length: > 0 } story ? story : m.RowKey,
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

/// <summary>
/// What matched, newest first (published, or stored when earlier or unknown), for the API, <c>alerts matches</c> and the pages: one "since" rule,
/// one paging rule. A page reads at most <c>max + 1</c> rows of each watchlist's time-ordered copies
/// (<see cref="MatchStore"/>), so the first page costs the same with ten stored matches or two hundred
/// thousand; a console filter reads on, a page of copies at a time, up to <see cref="ScanLimit"/> rows. The continuation is the position of the page's last match (its time-ordered key and its
/// watchlist): a Table Storage continuation token belongs to one query of one partition, while a page
/// over every watchlist merges several.
/// </summary>
public sealed class MatchService(MatchStore matches)
{
    public const int MaxPage = 500;

    public async Task<MatchPage> ListAsync(MatchQuery query, CancellationToken cancellationToken)
    {
        if (query.Max is < 1 or > MaxPage)
        {
            throw new MatchQueryException("max", $"must be a whole number from 1 to {MaxPage}");
        }

        MatchPosition? after = null;
        if (!string.IsNullOrEmpty(query.Continuation))
        {
            after = ParseToken(query.Continuation) ?? throw new MatchQueryException("continuation", "is not a token this service gave out");
        }

        var watchlists = query.Watchlist is { } one ? [one] : await matches.ListWatchlistsAsync(cancellationToken);
        var rows = new List<MatchEntity>();
        MatchPosition? boundary = null;
        foreach (var watchlist in watchlists)
        {
            var (accepted, scannedTo) = await ReadAsync(watchlist, query, after, cancellationToken);
            rows.AddRange(accepted);
            if (scannedTo is not null && (boundary is null || Compare(scannedTo, boundary) < 0))
            {
                boundary = scannedTo;
            }
        }

        // A watchlist whose scan stopped early (a narrow filter) was not read past its boundary: the page ends there too.
        var ordered = rows
            .Where(r => boundary is null || Compare(new MatchPosition(r.RowKey, r.PartitionKey), boundary) <= 0)
            .OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .ThenBy(r => r.PartitionKey, StringComparer.Ordinal)
            .Take(query.Max + 1)
            .ToList();
        var page = ordered.Take(query.Max).ToList();
        var next = ordered.Count > query.Max ? Token(new MatchPosition(page[^1].RowKey, page[^1].PartitionKey))
            : boundary is not null ? Token(boundary)
            : null;
        return new MatchPage([.. page.Select(MatchView.From)], next);
    }

    /// <summary>
    /// The next matches of one watchlist that pass the query's <see cref="MatchQuery.Until"/> and
    /// <see cref="MatchQuery.Filter"/>, read a page of the time-ordered copies at a time: up to
    /// <c>max + 1</c> accepted, or until <see cref="ScanLimit"/> rows were read, whichever comes first.
    /// In the second case the position reached is returned, so a narrow filter costs bounded reads per page.
    /// </summary>
    private async Task<(List<MatchEntity> Accepted, MatchPosition? ScannedTo)> ReadAsync(string watchlist, MatchQuery query, MatchPosition? after, CancellationToken cancellationToken)
    {
        // Ties (the same key in two watchlists) are ordered by watchlist: a later watchlist starts at the key itself.
        var cursor = after?.RowKey;
        var include = after is not null && string.CompareOrdinal(watchlist, after.Watchlist) > 0;
        if (query.Until is { } until && (cursor is null || string.CompareOrdinal(MatchStore.NewestKey(until, ""), cursor) > 0))
        {
            cursor = MatchStore.NewestKey(until, ""); // newer than "until" sorts before this key
            include = true;
        }

        var accepted = new List<MatchEntity>();
        var take = query.Filter is null ? query.Max + 1 : Math.Max(query.Max + 1, 200);
        var scanned = 0;
        while (true)
        {
            var batch = await matches.NewestAsync(watchlist, query.Since, cursor, include, take, cancellationToken);
            foreach (var row in batch)
            {
                if ((query.Until is null || row.ListedAt < query.Until) && (query.Filter?.Accepts(row) ?? true))
                {
                    accepted.Add(row);
                    if (accepted.Count > query.Max)
                    {
                        return (accepted, null);
                    }
                }
            }

            scanned += batch.Count;
            if (batch.Count < take)
            {
                return (accepted, null);
            }

            cursor = batch[^1].RowKey;
            include = false;
            if (scanned >= ScanLimit)
            {
                return (accepted, new MatchPosition(cursor, watchlist));
            }
        }
    }

    /// <summary>At most this many rows of one watchlist are read for one filtered page.</summary>
    public const int ScanLimit = 5_000;

    private static int Compare(MatchPosition a, MatchPosition b)
    {
        var c = string.CompareOrdinal(a.RowKey, b.RowKey);
        return c != 0 ? c : string.CompareOrdinal(a.Watchlist, b.Watchlist);
    }

    /// <summary>A date as people write it (ISO 8601, UTC unless it says otherwise); null when it is not one.</summary>
    public static DateTimeOffset? ParseSince(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    private static string Token(MatchPosition position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{position.RowKey}|{position.Watchlist}"));

    private static MatchPosition? ParseToken(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
            return parts.Length == 2 && parts[0].StartsWith("n-", StringComparison.Ordinal) && Matching.WatchlistValidator.IsValidName(parts[1])
                ? new MatchPosition(parts[0], parts[1])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
