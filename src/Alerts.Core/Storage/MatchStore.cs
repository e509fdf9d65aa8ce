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

    /// <summary>The story's key: the row key of the story's own row, and part of its time-ordered copies' keys.</summary>
    public string StoryKey { get; set; } = "";

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

    /// <summary>
    /// Where the story sits in newest-first lists: when it was published, or when it was stored if that
    /// is earlier or unknown (a feed's future date does not pin a story to the top).
    /// </summary>
    [IgnoreDataMember]
    public DateTimeOffset ListedAt => PublishedAt is { } published && published < MatchedAt ? published : MatchedAt;

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
            StoryKey = item.StoryKey,
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

    /// <summary>The same match under another row key (one of its time-ordered copies).</summary>
    internal MatchEntity CopyAs(string rowKey)
    {
        var copy = (MatchEntity)MemberwiseClone();
        copy.RowKey = rowKey;
        copy.ETag = default;
        copy.Timestamp = null;
        return copy;
    }
}

/// <summary>Where a page of matches ended: the time-ordered row key of its last match and that match's watchlist.</summary>
public sealed record MatchPosition(string RowKey, string Watchlist);

/// <summary>
/// The Matches table. Each watchlist is a partition holding, for every story, three rows written in one
/// transaction (so they exist together or not at all):
/// <list type="bullet">
/// <item>the story's own row (row key = story key): sources are merged into it, and an insert-if-absent decides whether the story is new;</item>
/// <item>a copy under <c>n-{inverted ticks of ListedAt}-{story}</c>: newest published first, for pages (the API, <c>alerts matches</c>);</item>
/// <item>a copy under <c>o-{ticks of MatchedAt}-{story}</c>: oldest first, for digests (the oldest matches after a watermark).</item>
/// </list>
/// Reads are key ranges of one partition, a page at a time; nothing reads a whole partition. Partition
/// <c>~</c> lists the watchlists that have matches (for "all watchlists" pages).
/// </summary>
public sealed class MatchStore(TableStorage storage, TimeProvider time) : IMatchStore
{
    private const string Registry = "~";
    private const string IndexedMarker = "~indexed-v1";
    private const string Newest = "n-";
    private const string Oldest = "o-";

    // Feeds polled in parallel often carry the same story: writes to one story take turns in this
    // process (striped by key), and optimistic concurrency settles races with other instances.
    private static readonly SemaphoreSlim[] Stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _registered = new(StringComparer.Ordinal);
    private Lazy<Task>? _indexed;

    public static string NewestKey(DateTimeOffset listedAt, string story) => $"{Newest}{DateTimeOffset.MaxValue.UtcTicks - listedAt.UtcTicks:D19}-{story}";

    public static string OldestKey(DateTimeOffset matchedAt, string story) => $"{Oldest}{matchedAt.UtcTicks:D19}-{story}";

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
            match.StoryKey = match.RowKey;
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

            await RegisterAsync(table, match.PartitionKey, cancellationToken);
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
    /// Insert-only for a new story, ETag-checked merge for a known one, each with its time-ordered copies
    /// in the same transaction: feeds polled in parallel that carry the same story neither overwrite
    /// each other's source nor store the story twice.
    /// </summary>
    private async Task<bool> StoreOneAsync(TableClient table, MatchEntity match, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<MatchEntity>(match.PartitionKey, match.RowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    // Stamped at the write, not when the poll began: a digest reads only matches stamped
                    // before its settle time (DigestService.QueueSettle), so it cannot pass over one still being written.
                    match.MatchedAt = time.GetUtcNow();
                    await table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.Add, match),
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, match.CopyAs(NewestKey(match.ListedAt, match.RowKey))),
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, match.CopyAs(OldestKey(match.MatchedAt, match.RowKey))),
                    ], cancellationToken);
                    return true;
                }

                var old = existing.Value;
                if (string.IsNullOrEmpty(old.StoryKey))
                {
                    old.StoryKey = old.RowKey; // stored before the time-ordered copies existed
                }

                if (old.SourceList.Contains(match.Sources, StringComparer.Ordinal))
                {
                    return false; // a retry of work already stored
                }

                old.Sources = old.Sources + "\n" + match.Sources;
                await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, old, old.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, old.CopyAs(NewestKey(old.ListedAt, old.RowKey))),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, old.CopyAs(OldestKey(old.MatchedAt, old.RowKey))),
                ], cancellationToken);
                return false;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 20)
            {
                // Another instance wrote this story meanwhile: wait a moment, read it again and merge.
                await Task.Delay(Random.Shared.Next(5, 20 * (attempt + 1)), cancellationToken);
            }
        }
    }

    /// <summary>Records once per process that a watchlist has matches (for pages over every watchlist).</summary>
    private async Task RegisterAsync(TableClient table, string watchlist, CancellationToken cancellationToken)
    {
        if (_registered.ContainsKey(watchlist))
        {
            return;
        }

        await table.UpsertEntityAsync(new TableEntity(Registry, watchlist), TableUpdateMode.Merge, cancellationToken);
        _registered[watchlist] = true;
    }

    /// <summary>The watchlists that have matches, in ordinal order.</summary>
    public async Task<List<string>> ListWatchlistsAsync(CancellationToken cancellationToken)
    {
        var table = await IndexedTableAsync(cancellationToken);
        var names = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Registry}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (!row.RowKey.StartsWith('~'))
            {
                names.Add(row.RowKey);
            }
        }

        return names;
    }

    /// <summary>
    /// Up to <paramref name="take"/> matches of one watchlist, newest first (<see cref="MatchEntity.ListedAt"/>),
    /// listed at or after <paramref name="listedSince"/>, after the row <paramref name="afterRowKey"/> (a position in this order; with <paramref name="includeAfter"/>, from it).
    /// </summary>
    public async Task<List<MatchEntity>> NewestAsync(string watchlist, DateTimeOffset? listedSince, string? afterRowKey, bool includeAfter, int take, CancellationToken cancellationToken)
    {
        var table = await IndexedTableAsync(cancellationToken);
        var from = afterRowKey ?? Newest;
        var upTo = listedSince is { } since ? NewestKey(since, "~") : Newest[..1] + ".";
        var filter = includeAfter || afterRowKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {watchlist} and RowKey ge {from} and RowKey lt {upTo}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {watchlist} and RowKey gt {from} and RowKey lt {upTo}");
        return await TakeAsync(table.QueryAsync<MatchEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken), take, tiesOnTicks: false);
    }

    /// <summary>
    /// The oldest matches of one watchlist stored after <paramref name="matchedAfter"/> and at or before
    /// <paramref name="matchedUpTo"/>: at least <paramref name="take"/> when there are that many, and every
    /// match stored at the same instant as the last one (a digest never stops between two of them).
    /// </summary>
    public async Task<List<MatchEntity>> ListOldestAsync(string watchlist, DateTimeOffset? matchedAfter, DateTimeOffset matchedUpTo, int take, CancellationToken cancellationToken)
    {
        var table = await IndexedTableAsync(cancellationToken);
        var from = matchedAfter is { } after ? OldestKey(after, "~") : Oldest;
        var to = OldestKey(matchedUpTo, "~");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {watchlist} and RowKey gt {from} and RowKey lt {to}");
        return await TakeAsync(table.QueryAsync<MatchEntity>(filter, maxPerPage: Math.Min(take + 10, 1000), cancellationToken: cancellationToken), take, tiesOnTicks: true);
    }

    /// <summary>Stories of one watchlist (or all) newest first, optionally only those stored after <paramref name="matchedAfter"/>, with their story keys as row keys.</summary>
    public async Task<List<MatchEntity>> ListAsync(string? watchlist, DateTimeOffset? matchedAfter, int max, CancellationToken cancellationToken)
    {
        var rows = new List<MatchEntity>();
        foreach (var name in watchlist is null ? await ListWatchlistsAsync(cancellationToken) : [watchlist])
        {
            rows.AddRange((await NewestAsync(name, null, null, false, max, cancellationToken)).Where(m => matchedAfter is null || m.MatchedAt > matchedAfter));
        }

        foreach (var row in rows)
        {
            row.RowKey = row.StoryKey;
        }

        return [.. rows.OrderByDescending(r => r.ListedAt).Take(max)];
    }

    private static async Task<List<MatchEntity>> TakeAsync(Azure.AsyncPageable<MatchEntity> rows, int take, bool tiesOnTicks)
    {
        var list = new List<MatchEntity>();
        await foreach (var row in rows)
        {
            if (list.Count >= take && (!tiesOnTicks || row.MatchedAt.UtcTicks != list[^1].MatchedAt.UtcTicks))
            {
                break;
            }

            list.Add(row);
            if (list.Count >= take && !tiesOnTicks)
            {
                break; // enough: asking for the next row would cost another page
            }
        }

        return list;
    }

    /// <summary>The table, once matches stored before the time-ordered copies existed have theirs (once per store, checked by a marker row).</summary>
    private async Task<TableClient> IndexedTableAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Matches, cancellationToken);
        var indexed = _indexed ??= new Lazy<Task>(() => EnsureIndexedAsync(table, CancellationToken.None));
        try
        {
            await indexed.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _indexed = null; // try again next time
            throw;
        }

        return table;
    }

    /// <summary>
    /// A one-time migration: gives every story row written before this version its two time-ordered
    /// copies, and registers its watchlist. Idempotent (upserts), so two processes may both run it.
    /// </summary>
    private static async Task EnsureIndexedAsync(TableClient table, CancellationToken cancellationToken)
    {
        var marker = await table.GetEntityIfExistsAsync<TableEntity>(Registry, IndexedMarker, cancellationToken: cancellationToken);
        if (marker.HasValue)
        {
            return;
        }

        // Story rows have hex keys (below "g"); the copies start with n- and o-, the registry is partition ~.
        var stories = new List<MatchEntity>();
        await foreach (var row in table.QueryAsync<MatchEntity>(TableClient.CreateQueryFilter($"RowKey lt {"g"} and PartitionKey ne {Registry}"), cancellationToken: cancellationToken))
        {
            stories.Add(row);
        }

        foreach (var partition in stories.GroupBy(s => s.PartitionKey))
        {
            await table.UpsertEntityAsync(new TableEntity(Registry, partition.Key), TableUpdateMode.Merge, cancellationToken);
            foreach (var chunk in partition.Chunk(50))
            {
                await table.SubmitTransactionAsync(chunk.SelectMany(s =>
                {
                    s.StoryKey = string.IsNullOrEmpty(s.StoryKey) ? s.RowKey : s.StoryKey;
                    return new[]
                    {
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, s.CopyAs(NewestKey(s.ListedAt, s.RowKey))),
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, s.CopyAs(OldestKey(s.MatchedAt, s.RowKey))),
                    };
                }), cancellationToken);
            }
        }

        await table.UpsertEntityAsync(new TableEntity(Registry, IndexedMarker), TableUpdateMode.Replace, cancellationToken);
    }
}
