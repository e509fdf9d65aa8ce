using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;

namespace Alerts.Core.Storage;

/// <summary>A stored match: one row per watchlist and story, with the explanation people see.</summary>
public sealed class MatchEntity : ITableEntity
{
    private const int MaxPropertyChars = 30_000; // Table Storage allows 64 KiB per string property

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Title { get; set; } = "";
    public string? Link { get; set; }
    /// <summary>The link's key when the link names this one story (<see cref="NewsItem.LinkKey"/>); null otherwise.</summary>
    public string? LinkKey { get; set; }
    /// <summary>Feed URLs that carried the story, one per line.</summary>
    public string Sources { get; set; } = "";
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>When this match was first stored; digests move their watermark over it, so it never changes.</summary>
    public DateTimeOffset MatchedAt { get; set; }
    public double Score { get; set; }
    public string Entities { get; set; } = "";
    public string Topics { get; set; } = "";
    public string? EvidenceField { get; set; }
    public string? Evidence { get; set; }
    public string? Highlights { get; set; }
    public string? Hits { get; set; }
    public string? Reason { get; set; }
    /// <summary>high, medium or low (<see cref="MatchConfidence"/>): how strong the evidence of a dealing is.</summary>
    public string? Confidence { get; set; }
    /// <summary>The article fetched and scored when the feed's text fell short, or null.</summary>
    public string? Article { get; set; }

    [IgnoreDataMember]
    public IReadOnlyList<string> SourceList => Sources.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [IgnoreDataMember]
    public IReadOnlyList<Highlight> HighlightList =>
        string.IsNullOrEmpty(Highlights) ? [] : JsonSerializer.Deserialize<List<Highlight>>(Highlights, JsonSerializerOptions.Web) ?? [];

    public static MatchEntity From(NewsItem item, MatchResult result, DateTimeOffset now)
    {
        var hits = JsonSerializer.Serialize(result.Hits, JsonSerializerOptions.Web);
        return new MatchEntity
        {
            PartitionKey = result.Watchlist,
            RowKey = item.StoryKey,
            Title = Cap(item.Title.Length > 0 ? item.Title : "(untitled)"),
            Link = item.Link,
            LinkKey = item.LinkKey,
            Sources = item.FeedUrl,
            PublishedAt = item.PublishedAt,
            MatchedAt = now,
            Score = result.Score,
            Entities = string.Join(", ", result.Entities),
            Topics = string.Join(", ", result.Topics),
            EvidenceField = result.Evidence?.Field.ToString().ToLowerInvariant(),
            Evidence = result.Evidence is null ? null : Cap(result.Evidence.Sentence),
            Highlights = result.Evidence is null ? null : JsonSerializer.Serialize(result.Evidence.Highlights, JsonSerializerOptions.Web),
            Hits = hits.Length <= MaxPropertyChars ? hits : null,
            Reason = Cap(result.Reason),
            Confidence = result.Confidence?.ToString().ToLowerInvariant(),
            Article = result.Article,
        };
    }

    private static string Cap(string s) => s.Length <= MaxPropertyChars ? s : s[..MaxPropertyChars];
}

public sealed class MatchStore(TableStorage storage) : IMatchStore
{
    // Feeds polled in parallel often carry the same story: writes to one story take turns in this
    // process (striped by key), and optimistic concurrency settles races with other instances.
    private static readonly SemaphoreSlim[] Stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// Stores matches; a story already stored (same key, e.g. from a second feed) gains a source and
    /// keeps its first <see cref="MatchEntity.MatchedAt"/>, so it is never sent twice.
    /// </summary>
    /// <returns>How many stories were new.</returns>
    public async Task<int> StoreAsync(IReadOnlyCollection<MatchEntity> matches, CancellationToken cancellationToken)
    {
        if (matches.Count == 0)
        {
            return 0;
        }

        var table = await storage.GetAsync(Tables.Matches, cancellationToken);
        var links = await storage.GetAsync(Tables.StoryLinks, cancellationToken);
        var fresh = 0;
        foreach (var match in matches)
        {
            // The link names the story too: an edited title under the same link is the story already stored.
            match.RowKey = await StoryOfLinkAsync(links, match, cancellationToken);
            var stripe = Stripes[(uint)StringComparer.Ordinal.GetHashCode(match.PartitionKey + "/" + match.RowKey) % (uint)Stripes.Length];
            await stripe.WaitAsync(cancellationToken);
            try
            {
                fresh += await StoreOneAsync(table, match, cancellationToken) ? 1 : 0;
            }
            finally
            {
                stripe.Release();
            }
        }

        return fresh;
    }

    /// <summary>
    /// The story key a match's link already belongs to, or the match's own key, which then claims the
    /// link. The claim is an insert-if-absent written before the story: of two feeds racing with the
    /// same link under different titles, the first claim wins and both land on one story. A crash
    /// between claim and story leaves a claim the retry follows to the same key.
    /// </summary>
    private static async Task<string> StoryOfLinkAsync(TableClient links, MatchEntity match, CancellationToken cancellationToken)
    {
        if (match.LinkKey is not { } linkKey)
        {
            return match.RowKey;
        }

        try
        {
            await links.AddEntityAsync(new TableEntity(match.PartitionKey, linkKey) { ["StoryKey"] = match.RowKey }, cancellationToken);
            return match.RowKey;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var claim = await links.GetEntityAsync<TableEntity>(match.PartitionKey, linkKey, select: ["StoryKey"], cancellationToken: cancellationToken);
            return claim.Value.GetString("StoryKey") ?? match.RowKey;
        }
    }

    /// <summary>
    /// Insert-only for a new story, ETag-checked merge for a known one: feeds polled in parallel that
    /// carry the same story neither overwrite each other's source nor store the story twice.
    /// </summary>
    private static async Task<bool> StoreOneAsync(TableClient table, MatchEntity match, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<MatchEntity>(match.PartitionKey, match.RowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    await table.AddEntityAsync(match, cancellationToken);
                    return true;
                }

                var old = existing.Value;
                if (old.SourceList.Contains(match.Sources, StringComparer.Ordinal))
                {
                    return false; // a retry of work already stored
                }

                old.Sources = old.Sources + "\n" + match.Sources;
                await table.UpdateEntityAsync(old, old.ETag, TableUpdateMode.Replace, cancellationToken);
                return false;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 20)
            {
                // Another instance wrote this story meanwhile: wait a moment, read it again and merge.
                await Task.Delay(Random.Shared.Next(5, 20 * (attempt + 1)), cancellationToken);
            }
        }
    }

    /// <summary>Matches of one watchlist (or all) newest first, optionally only those stored after <paramref name="matchedAfter"/>.</summary>
    public async Task<List<MatchEntity>> ListAsync(string? watchlist, DateTimeOffset? matchedAfter, int max, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Matches, cancellationToken);
        var filters = new List<string>();
        if (watchlist is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {watchlist}"));
        }

        if (matchedAfter is { } after)
        {
            filters.Add(TableClient.CreateQueryFilter($"MatchedAt gt {after}"));
        }

        var rows = new List<MatchEntity>();
        await foreach (var row in table.QueryAsync<MatchEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return [.. rows.OrderByDescending(r => r.PublishedAt ?? r.MatchedAt).ThenByDescending(r => r.Score).Take(max)];
    }
}
