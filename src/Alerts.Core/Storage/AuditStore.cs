using Azure;
using Azure.Data.Tables;

namespace Alerts.Core.Storage;

/// <summary>One change to a watchlist: who, when, what it was before and after.</summary>
public sealed class AuditEntity : ITableEntity
{
    /// <summary><c>watchlist:NAME</c>.</summary>
    public string PartitionKey { get; set; } = "";
    /// <summary>Inverted ticks then a random suffix: newest first, never colliding.</summary>
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Who { get; set; } = "";
    public DateTimeOffset When { get; set; }
    public string Action { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
}

public sealed class AuditStore(TableStorage storage)
{
    public async Task RecordAsync(string subject, string who, string action, string? before, string? after, DateTimeOffset when, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Audit, cancellationToken);
        await table.AddEntityAsync(
            new AuditEntity
            {
                PartitionKey = subject,
                RowKey = $"{DateTimeOffset.MaxValue.UtcTicks - when.UtcTicks:D19}-{Guid.NewGuid():N}",
                Who = who,
                When = when,
                Action = action,
                Before = Cap(before),
                After = Cap(after),
            },
            cancellationToken);
    }

    public async Task<List<AuditEntity>> ListAsync(string subject, int max, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Audit, cancellationToken);
        var list = new List<AuditEntity>();
        await foreach (var row in table.QueryAsync<AuditEntity>(a => a.PartitionKey == subject, maxPerPage: max, cancellationToken: cancellationToken))
        {
            list.Add(row);
            if (list.Count >= max)
            {
                break;
            }
        }

        return list;
    }

    // A watchlist's JSON fits easily; the cap only keeps a pathological one within the 64 KiB property limit.
    private static string? Cap(string? s) => s is null || s.Length <= 30_000 ? s : s[..30_000];
}
