using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Alerts.Core.Feeds;

namespace Alerts.Core.Storage;

/// <summary>The text of an item seen lately, kept for dry-running watchlist drafts against real news.</summary>
public sealed class RecentItemEntity : ITableEntity
{
    public const int MaxContentChars = 12_000;

    /// <summary>The UTC day first seen, <c>yyyyMMdd</c>: a day is one partition, and old days go in one sweep.</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary>The item's key.</summary>
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string StoryKey { get; set; } = "";
    public string FeedUrl { get; set; } = "";
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public string Content { get; set; } = "";
    public string? Link { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }

    public static RecentItemEntity From(NewsItem item, DateTimeOffset now) => new()
    {
        PartitionKey = DayOf(now),
        RowKey = item.Key,
        StoryKey = item.StoryKey,
        FeedUrl = item.FeedUrl,
        Title = Cap(item.Title, 2_000),
        Summary = Cap(item.Summary, 6_000),
        Content = Cap(item.Content, MaxContentChars),
        Link = item.Link,
        PublishedAt = item.PublishedAt,
        FirstSeenAt = now,
    };

    public static string DayOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Cap(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>
/// Recent item text. The new items of one feed poll are one row — partition = the day, row key =
/// inverted time and the feed — holding them as gzip-compressed JSON in binary properties: one write a
/// poll, read newest first a day at a time, and a dry-run stops reading when it has enough. (One row per
/// item, written in batches of 25, cost the storage client about 35 KiB of allocations an item.)
/// Rows of the earlier one-item-a-row layout are still read until the retention prunes them.
/// </summary>
public sealed class RecentItemStore(TableStorage storage)
{
    private const int PartBytes = 64 * 1024;
    private const int MaxParts = 14;

    /// <summary>Items a row holds at most; a poll with more writes more rows (20 items of the largest allowed text fit in well under 1 MiB compressed).</summary>
    private const int ItemsPerRow = 50;

    public async Task AddAsync(string feedKey, IReadOnlyCollection<NewsItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        var table = await storage.GetAsync(Tables.RecentItems, cancellationToken);
        var chunk = 0;
        foreach (var slice in items.Chunk(ItemsPerRow))
        {
            var row = new TableEntity(RecentItemEntity.DayOf(now), $"{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}-{feedKey}-{chunk++}") { ["At"] = now, ["Count"] = slice.Length };
            var parts = Compress(slice.Select(i => RecentItemEntity.From(i, now)).Select(e => new StoredItem(e.RowKey, e.StoryKey, e.FeedUrl, e.Title, e.Summary, e.Content, e.Link, e.PublishedAt)).ToList());
            if (parts.Count > MaxParts)
            {
                parts = parts[..MaxParts]; // cannot happen with ItemsPerRow items of capped text; never fail a poll over dry-run text
            }

            for (var p = 0; p < parts.Count; p++)
            {
                row[$"Items{p}"] = parts[p];
            }

            row["Parts"] = parts.Count;
            // A retry of the same poll (a redelivered queue message) writes the same items under its own time: the reader keeps one per key.
            await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Items first seen in the last <paramref name="days"/> days, newest first, at most <paramref name="max"/> (one per item key).</summary>
    public async Task<List<RecentItemEntity>> ListAsync(int days, int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.RecentItems, cancellationToken);
        var items = new List<RecentItemEntity>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var d = 0; d <= days && items.Count < max; d++)
        {
            var day = RecentItemEntity.DayOf(now.AddDays(-d));
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {day}"), cancellationToken: cancellationToken))
            {
                foreach (var item in Items(row))
                {
                    if (keys.Add(item.RowKey))
                    {
                        items.Add(item);
                    }
                }

                if (items.Count >= max)
                {
                    break;
                }
            }
        }

        return [.. items.OrderByDescending(i => i.FirstSeenAt).Take(max)];
    }

    private static IEnumerable<RecentItemEntity> Items(TableEntity row)
    {
        if (row.GetInt32("Parts") is not { } parts)
        {
            // The earlier layout: one item a row.
            yield return new RecentItemEntity
            {
                PartitionKey = row.PartitionKey,
                RowKey = row.RowKey,
                StoryKey = row.GetString("StoryKey") ?? "",
                FeedUrl = row.GetString("FeedUrl") ?? "",
                Title = row.GetString("Title") ?? "",
                Summary = row.GetString("Summary") ?? "",
                Content = row.GetString("Content") ?? "",
                Link = row.GetString("Link"),
                PublishedAt = row.GetDateTimeOffset("PublishedAt"),
                FirstSeenAt = row.GetDateTimeOffset("FirstSeenAt") ?? default,
            };
            yield break;
        }

        var at = row.GetDateTimeOffset("At") ?? default;
        foreach (var s in Decompress(row, parts))
        {
            yield return new RecentItemEntity
            {
                PartitionKey = row.PartitionKey,
                RowKey = s.Key,
                StoryKey = s.Story,
                FeedUrl = s.Feed,
                Title = s.Title,
                Summary = s.Summary,
                Content = s.Content,
                Link = s.Link,
                PublishedAt = s.Published,
                FirstSeenAt = at,
            };
        }
    }

    private static List<byte[]> Compress(List<StoredItem> items)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, items, JsonSerializerOptions.Web);
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var parts = new List<byte[]>();
        for (var offset = 0; offset < bytes.Length; offset += PartBytes)
        {
            parts.Add(bytes.Slice(offset, Math.Min(PartBytes, bytes.Length - offset)).ToArray());
        }

        return parts;
    }

    private static List<StoredItem> Decompress(TableEntity row, int parts)
    {
        using var joined = new MemoryStream();
        for (var p = 0; p < parts; p++)
        {
            joined.Write(row.GetBinary($"Items{p}") ?? []);
        }

        joined.Position = 0;
        using var gzip = new GZipStream(joined, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<StoredItem>>(gzip, JsonSerializerOptions.Web) ?? [];
    }

    private sealed record StoredItem(string Key, string Story, string Feed, string Title, string Summary, string Content, string? Link, DateTimeOffset? Published);
}
