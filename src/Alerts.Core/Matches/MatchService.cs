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
    string? Reason)
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
        m.Reason);

    private static string[] Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Which matches: of one watchlist (or all), published (or stored) since a time, a page at a time.</summary>
public sealed record MatchQuery(string? Watchlist = null, DateTimeOffset? Since = null, int Max = 50, string? Continuation = null);

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
/// thousand. The continuation is the position of the page's last match (its time-ordered key and its
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
        foreach (var watchlist in watchlists)
        {
            // Ties (the same key in two watchlists) are ordered by watchlist: a later watchlist starts at the key itself.
            var includeKey = after is not null && string.CompareOrdinal(watchlist, after.Watchlist) > 0;
            rows.AddRange(await matches.NewestAsync(watchlist, query.Since, after?.RowKey, includeKey, query.Max + 1, cancellationToken));
        }

        var ordered = rows
            .OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .ThenBy(r => r.PartitionKey, StringComparer.Ordinal)
            .Take(query.Max + 1)
            .ToList();
        var page = ordered.Take(query.Max).ToList();
        var next = ordered.Count > query.Max ? Token(new MatchPosition(page[^1].RowKey, page[^1].PartitionKey)) : null;
        return new MatchPage([.. page.Select(MatchView.From)], next);
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
