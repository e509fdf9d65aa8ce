using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;
using Alerts.Core.Feeds;

namespace Alerts.Core.Storage;

/// <summary>A subscriber; <see cref="Watermark"/> is the <c>MatchedAt</c> of the newest match already sent.</summary>
public sealed class SubscriberEntity : ITableEntity
{
    public const string Partition = "subscriber";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Email { get; set; } = "";
    public string? Name { get; set; }
    /// <summary>Watchlist names, comma-separated.</summary>
    public string Watchlists { get; set; } = "";
    public string Cadence { get; set; } = "daily@08";
    /// <summary>IANA time zone of the cadence's hour, e.g. <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; set; } = "UTC";
    public bool Confirmed { get; set; }

    /// <summary>The subscriber paused their digests (from /manage): none is sent, the watermark stays, so resuming sends what matched meanwhile.</summary>
    public bool Paused { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset Watermark { get; set; }
    public DateTimeOffset? LastDigestAt { get; set; }

    /// <summary>
    /// Preferences someone asked for that the owner has not confirmed yet (JSON of <see cref="PendingChange"/>);
    /// nothing takes effect until the emailed link with <see cref="PendingId"/> is opened.
    /// </summary>
    public string? Pending { get; set; }
    public string? PendingId { get; set; }

    /// <summary>Confirmation emails sent to this address: the last one, and how many on <see cref="ConfirmationDay"/> (UTC).</summary>
    public DateTimeOffset? LastConfirmationAt { get; set; }
    public string? ConfirmationDay { get; set; }
    public int ConfirmationsThatDay { get; set; }

    [IgnoreDataMember]
    public IReadOnlyList<string> WatchlistList => Watchlists.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Preferences asked for in a subscription request, kept until the owner confirms them.</summary>
public sealed record PendingChange(string? Name, IReadOnlyList<string> Watchlists, string Cadence, string TimeZone);

public sealed class SubscriberStore(TableStorage storage, TimeProvider time) : ISubscriberStore
{
    /// <summary>A first digest reaches back this far, so a new subscriber sees recent stories.</summary>
    public static readonly TimeSpan FirstDigestLookback = TimeSpan.FromDays(7);

    public static string KeyOf(string email) => Keys.Hex(email.Trim().ToLowerInvariant());

    /// <summary>Adds or updates a subscriber; says whether the address was new and whether it was already confirmed.</summary>
    public async Task<(bool IsNew, bool WasConfirmed)> UpsertAsync(string email, string? name, IReadOnlyList<string> watchlists, string cadence, bool confirmed, CancellationToken cancellationToken, string? timeZone = null)
    {
        var now = time.GetUtcNow();
        var existing = await GetAsync(email, cancellationToken);
        var entity = existing ?? new SubscriberEntity
        {
            RowKey = KeyOf(email),
            CreatedAt = now,
            Watermark = now - FirstDigestLookback,
        };
        var wasConfirmed = entity.Confirmed;
        entity.Email = email.Trim();
        entity.Name = name ?? entity.Name;
        entity.Watchlists = string.Join(',', watchlists);
        entity.Cadence = cadence;
        entity.TimeZone = timeZone ?? entity.TimeZone;
        entity.Confirmed = confirmed || entity.Confirmed;
        entity.UpdatedAt = now;
        var table = await storage.GetAsync(Tables.Subscribers, cancellationToken);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return (existing is null, wasConfirmed);
    }

    public async Task<SubscriberEntity?> GetAsync(string email, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Subscribers, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, KeyOf(email), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<bool> RemoveAsync(string email, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Subscribers, cancellationToken);
        var response = await table.DeleteEntityAsync(SubscriberEntity.Partition, KeyOf(email), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<List<SubscriberEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Subscribers, cancellationToken);
        var list = new List<SubscriberEntity>();
        await foreach (var s in table.QueryAsync<SubscriberEntity>(s => s.PartitionKey == SubscriberEntity.Partition, cancellationToken: cancellationToken))
        {
            list.Add(s);
        }

        return [.. list.OrderBy(s => s.Email, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// Creates (no ETag yet) or replaces the version that was read; false when another request got
    /// there first — the caller then does nothing, so of two concurrent requests exactly one acts.
    /// </summary>
    public async Task<bool> TrySaveAsync(SubscriberEntity subscriber, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Subscribers, cancellationToken);
        subscriber.UpdatedAt = time.GetUtcNow();
        try
        {
            if (subscriber.ETag == default)
            {
                await table.AddEntityAsync(subscriber, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(subscriber, subscriber.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>A new, unconfirmed subscriber row (not saved).</summary>
    public SubscriberEntity NewSubscriber(string email)
    {
        var now = time.GetUtcNow();
        return new SubscriberEntity { RowKey = KeyOf(email), Email = email.Trim(), CreatedAt = now, UpdatedAt = now, Watermark = now - FirstDigestLookback };
    }
}
