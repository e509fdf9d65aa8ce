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

    /// <summary>When the poll timer last put this feed on the queue; it is not enqueued again until attempted (or this is stale).</summary>
    public DateTimeOffset? EnqueuedAt { get; set; }

    /// <summary>While set and in the future: a queue consumer is polling this feed; others leave it alone until then.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }
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

    /// <summary>Feeds whose last poll failed (for health): filtered by the table service, so a healthy list of 100,000 feeds does not come back whole.</summary>
    public async Task<List<FeedEntity>> ListFailingAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        var failing = new List<FeedEntity>();
        await foreach (var feed in table.QueryAsync<FeedEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {FeedEntity.Partition} and ConsecutiveFailures gt {0}"),
            select: [nameof(FeedEntity.Url), nameof(FeedEntity.ConsecutiveFailures), nameof(FeedEntity.LastError)],
            cancellationToken: cancellationToken))
        {
            failing.Add(feed);
        }

        return [.. failing.OrderBy(f => f.Url, StringComparer.Ordinal)];
    }

    /// <summary>One feed by its URL (a point read), or null when it is not watched.</summary>
    public async Task<FeedEntity?> GetAsync(string url, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<FeedEntity>(FeedEntity.Partition, KeyOf(url), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>
    /// Claims a feed for one queue consumer: a write conditional on the version that was read, so of two
    /// consumers that read the same version one wins. False when someone changed the feed meanwhile.
    /// </summary>
    public async Task<bool> TryClaimAsync(FeedEntity feed, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        feed.ClaimedUntil = until;
        try
        {
            var response = await table.UpdateEntityAsync(feed, feed.ETag, TableUpdateMode.Replace, cancellationToken);
            feed.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Records that these feeds were enqueued at <paramref name="at"/>: merges of one property, a hundred
    /// to a transaction (one partition). A feed removed meanwhile fails its batch; that batch is then
    /// written one by one and the removed feed skipped (a merge never brings a removed feed back).
    /// </summary>
    public async Task MarkEnqueuedAsync(IReadOnlyCollection<FeedEntity> enqueued, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Feeds, cancellationToken);
        foreach (var chunk in enqueued.Chunk(100))
        {
            var marks = chunk.Select(f => new TableEntity(FeedEntity.Partition, f.RowKey) { [nameof(FeedEntity.EnqueuedAt)] = at }).ToList();
            try
            {
                await table.SubmitTransactionAsync(marks.Select(m => new TableTransactionAction(TableTransactionActionType.UpdateMerge, m, ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                foreach (var mark in marks)
                {
                    try
                    {
                        await table.UpdateEntityAsync(mark, ETag.All, TableUpdateMode.Merge, cancellationToken);
                    }
                    catch (RequestFailedException ex) when (ex.Status == 404)
                    {
                    }
                }
            }
        }
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
