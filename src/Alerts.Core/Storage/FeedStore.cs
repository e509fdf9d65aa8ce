using Azure;
using Azure.Data.Tables;
using Alerts.Core.Feeds;

namespace Alerts.Core.Storage;

/// <summary>A watched feed and its health.</summary>
public sealed class FeedEntity : ITableEntity
{
    public const string Partition = "feed";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Url { get; set; } = "";
    public string? Title { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public string? HttpETag { get; set; }
    public string? HttpLastModified { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public int? LastStatus { get; set; }
    public int ConsecutiveFailures { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextPollAt { get; set; }
    public int ItemCount { get; set; }

    /// <summary>An admin allowed this feed's host to resolve to a private address (an intranet feed).</summary>
    public bool AllowPrivate { get; set; }

    /// <summary>An admin paused this feed: the poll skips it until resumed.</summary>
    public bool Paused { get; set; }
}

public sealed class FeedStore(TableStorage storage, TimeProvider time)
{
    public static string KeyOf(string url) => Keys.Hex(url.Trim());

    /// <summary>Adds a feed on a public host; returns false when it is already watched.</summary>
    public Task<bool> AddAsync(string url, CancellationToken cancellationToken) => AddAsync(url, allowPrivate: false, cancellationToken);

    /// <summary>Adds a feed; returns false when it is already watched.</summary>
    public async Task<bool> AddAsync(string url, bool allowPrivate, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        var entity = new FeedEntity { RowKey = KeyOf(url), Url = url.Trim(), AddedAt = time.GetUtcNow(), AllowPrivate = allowPrivate };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> RemoveAsync(string url, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        var response = await table.DeleteEntityAsync(FeedEntity.Partition, KeyOf(url), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<List<FeedEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        var feeds = new List<FeedEntity>();
        await foreach (var feed in table.QueryAsync<FeedEntity>(f => f.PartitionKey == FeedEntity.Partition, cancellationToken: cancellationToken))
        {
            feeds.Add(feed);
        }

        return [.. feeds.OrderBy(f => f.Url, StringComparer.Ordinal)];
    }

    public async Task SaveAsync(FeedEntity feed, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        // Health is the poller's own record, a removed feed stays removed, and an admin's pause made
        // while the feed was being polled is kept: the write names the version read, and when someone
        // changed the row meanwhile it takes their pause and writes its health again.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await table.UpdateEntityAsync(feed, attempt < 3 && feed.ETag != default ? feed.ETag : ETag.All, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                var current = await table.GetEntityIfExistsAsync<FeedEntity>(FeedEntity.Partition, feed.RowKey, cancellationToken: cancellationToken);
                if (!current.HasValue || current.Value is null)
                {
                    return;
                }

                feed.Paused = current.Value.Paused;
                feed.ETag = current.Value.ETag;
            }
        }
    }

    /// <summary>Pauses or resumes a feed; false when it is not watched.</summary>
    public async Task<bool> SetPausedAsync(string url, bool paused, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        var patch = new TableEntity(FeedEntity.Partition, KeyOf(url)) { [nameof(FeedEntity.Paused)] = paused };
        try
        {
            await table.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }
}
