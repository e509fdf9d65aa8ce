using Azure;
using Azure.Data.Tables;

namespace Alerts.Core.Storage;

public static class DigestStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
}

/// <summary>A digest, recorded before it is sent and marked sent after the provider accepted it.</summary>
public sealed class DigestEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Status { get; set; } = DigestStatus.Pending;
    public int StoryCount { get; set; }
    /// <summary>The newest match included; the subscriber's watermark moves here once sent.</summary>
    public DateTimeOffset UpTo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

public sealed class DigestStore(TableStorage storage)
{
    /// <summary>A digest's id is the subscriber and the newest match it covers: the same content always gets the same id.</summary>
    public static string IdOf(DateTimeOffset upTo) => upTo.UtcTicks.ToString("D19");

    public async Task<DigestEntity?> GetAsync(string subscriberKey, string digestId, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Digests, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<DigestEntity>(subscriberKey, digestId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task SaveAsync(DigestEntity digest, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Digests, cancellationToken);
        await table.UpsertEntityAsync(digest, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<List<DigestEntity>> ListAsync(string subscriberKey, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Digests, cancellationToken);
        var list = new List<DigestEntity>();
        await foreach (var d in table.QueryAsync<DigestEntity>(d => d.PartitionKey == subscriberKey, cancellationToken: cancellationToken))
        {
            list.Add(d);
        }

        return list;
    }
}
