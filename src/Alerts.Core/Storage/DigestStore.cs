using Azure;
using Azure.Data.Tables;

namespace Alerts.Core.Storage;

/// <summary>pending → sending (claimed by one run) → sent; or failed (retried next run); or unconfirmed.</summary>
public static class DigestStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>A run died during the send and the provider could not say whether it arrived: not re-sent, shown to admins.</summary>
    public const string Unconfirmed = "unconfirmed";
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
    /// <summary>While <see cref="DigestStatus.Sending"/>: the run that claimed it owns it until then.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

public sealed class DigestStore(TableStorage storage) : IDigestStore
{
    /// <summary>A digest's id is the subscriber and the newest match it covers: the same content always gets the same id.</summary>
    public static string IdOf(DateTimeOffset upTo) => upTo.UtcTicks.ToString("D19");

    public async Task<DigestEntity?> GetAsync(string subscriberKey, string digestId, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Digests, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<DigestEntity>(subscriberKey, digestId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Records a new digest; false when another run recorded it first.</summary>
    public async Task<bool> TryAddAsync(DigestEntity digest, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Digests, cancellationToken);
        try
        {
            var response = await table.AddEntityAsync(digest, cancellationToken);
            digest.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Saves only if nobody changed the record since it was read; false when someone did.</summary>
    public async Task<bool> TryUpdateAsync(DigestEntity digest, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Digests, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(digest, digest.ETag, TableUpdateMode.Replace, cancellationToken);
            digest.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Digests in a state an admin should look at (failed, unconfirmed), newest first.</summary>
    public async Task<List<DigestEntity>> ListTroubleAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Digests, cancellationToken);
        var list = new List<DigestEntity>();
        await foreach (var d in table.QueryAsync<DigestEntity>(d => d.Status == DigestStatus.Failed || d.Status == DigestStatus.Unconfirmed, cancellationToken: cancellationToken))
        {
            list.Add(d);
        }

        return [.. list.OrderByDescending(d => d.CreatedAt)];
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
