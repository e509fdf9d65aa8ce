using Azure;
using Azure.Data.Tables;

namespace Alerts.Core.Storage;

/// <summary>Which items of a feed were already processed, so an item is matched and stored once.</summary>
public sealed class SeenItemEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
}

public sealed class SeenItemStore(TableStorage storage)
{
    public async Task<HashSet<string>> GetSeenAsync(string feedKey, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.SeenItems, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{feedKey}'", select: ["RowKey"], cancellationToken: cancellationToken))
        {
            seen.Add(row.RowKey);
        }

        return seen;
    }

    public async Task MarkSeenAsync(string feedKey, IEnumerable<string> itemKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.SeenItems, cancellationToken);
        var rows = itemKeys.Distinct().Select(k => new SeenItemEntity { PartitionKey = feedKey, RowKey = k, FirstSeenAt = now });
        await TableStorage.UpsertBatchedAsync(table, rows, cancellationToken);
    }
}
