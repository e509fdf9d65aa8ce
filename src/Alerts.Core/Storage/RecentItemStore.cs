using Azure;
using Azure.Data.Tables;
using Alerts.Core.Feeds;

namespace Alerts.Core.Storage;

/// <summary>The text of every item seen lately, kept for dry-running watchlist drafts against real news.</summary>
public sealed class RecentItemEntity : ITableEntity
{
    public const int MaxContentChars = 12_000;

    /// <summary>The UTC day first seen, <c>yyyyMMdd</c>: a day is one partition, and old days go in one sweep.</summary>
    public string PartitionKey { get; set; } = "";
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

public sealed class RecentItemStore(TableStorage storage)
{
    public async Task AddAsync(IEnumerable<RecentItemEntity> items, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.RecentItems, cancellationToken);
        // Up to ~40 KB an item: 25 a transaction keeps each batch under the 4 MB payload limit.
        await TableStorage.UpsertBatchedAsync(table, items, cancellationToken, batchSize: 25);
    }

    /// <summary>Items first seen in the last <paramref name="days"/> days, newest first, at most <paramref name="max"/>.</summary>
    public async Task<List<RecentItemEntity>> ListAsync(int days, int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.RecentItems, cancellationToken);
        var from = RecentItemEntity.DayOf(now.AddDays(-days));
        var items = new List<RecentItemEntity>();
        await foreach (var item in table.QueryAsync<RecentItemEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {from}"), cancellationToken: cancellationToken))
        {
            items.Add(item);
        }

        return [.. items.OrderByDescending(i => i.FirstSeenAt).Take(max)];
    }
}
