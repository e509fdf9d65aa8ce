using System.Collections.Concurrent;
using Alerts.Core.Storage;
using Azure;

namespace Alerts.UnitTests.Digests;

/// <summary>
/// In-memory twins of the stores the digest logic uses, with Table Storage's concurrency rules: a row
/// is copied in and out (no shared references), every write gets a new ETag, and a write naming an
/// old ETag fails. The Azurite tests remain the proof that the real stores behave the same.
/// </summary>
internal sealed class InMemorySubscriberStore : ISubscriberStore
{
    private readonly ConcurrentDictionary<string, SubscriberEntity> _rows = new();

    public void Add(SubscriberEntity subscriber) => _rows[subscriber.RowKey] = Rows.Copy(subscriber, Rows.NewETag());

    public SubscriberEntity Get(string rowKey) => Rows.Copy(_rows[rowKey], _rows[rowKey].ETag);

    public Task<List<SubscriberEntity>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_rows.Values.Select(s => Rows.Copy(s, s.ETag)).OrderBy(s => s.Email, StringComparer.Ordinal).ToList());

    public Task<bool> TrySaveAsync(SubscriberEntity subscriber, CancellationToken cancellationToken) =>
        Task.FromResult(Rows.TryReplace(_rows, subscriber.RowKey, subscriber));
}

internal sealed class InMemoryMatchStore : IMatchStore
{
    private readonly ConcurrentBag<MatchEntity> _rows = [];

    public void Add(MatchEntity match) => _rows.Add(match);

    public Task<List<MatchEntity>> ListAsync(string? watchlist, DateTimeOffset? matchedAfter, int max, CancellationToken cancellationToken) =>
        Task.FromResult(_rows
            .Where(m => (watchlist is null || m.PartitionKey == watchlist) && (matchedAfter is null || m.MatchedAt > matchedAfter))
            .OrderByDescending(m => m.PublishedAt ?? m.MatchedAt)
            .Take(max)
            .ToList());
}

internal sealed class InMemoryDigestStore : IDigestStore
{
    private readonly ConcurrentDictionary<string, DigestEntity> _rows = new();

    public IReadOnlyList<DigestEntity> All => [.. _rows.Values];

    public Task<DigestEntity?> GetAsync(string subscriberKey, string digestId, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.TryGetValue(Key(subscriberKey, digestId), out var row) ? Rows.Copy(row, row.ETag) : null);

    public Task<bool> TryAddAsync(DigestEntity digest, CancellationToken cancellationToken)
    {
        digest.ETag = Rows.NewETag();
        return Task.FromResult(_rows.TryAdd(Key(digest.PartitionKey, digest.RowKey), Rows.Copy(digest, digest.ETag)));
    }

    public Task<bool> TryUpdateAsync(DigestEntity digest, CancellationToken cancellationToken) =>
        Task.FromResult(Rows.TryReplace(_rows, Key(digest.PartitionKey, digest.RowKey), digest));

    public Task<List<DigestEntity>> ListTroubleAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_rows.Values.Where(d => d.Status is DigestStatus.Failed or DigestStatus.Unconfirmed).OrderByDescending(d => d.CreatedAt).ToList());

    private static string Key(string partition, string row) => partition + "/" + row;
}

/// <summary>Copy-in, copy-out rows with optimistic concurrency.</summary>
internal static class Rows
{
    private static readonly Lock Gate = new();

    public static ETag NewETag() => new($"\"{Guid.NewGuid():N}\"");

    public static T Copy<T>(T row, ETag etag)
        where T : class, Azure.Data.Tables.ITableEntity, new()
    {
        var copy = new T();
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite))
        {
            property.SetValue(copy, property.GetValue(row));
        }

        copy.ETag = etag;
        return copy;
    }

    /// <summary>Replaces the stored row only if the caller's ETag is the stored one; the caller's row then carries the new ETag.</summary>
    public static bool TryReplace<T>(ConcurrentDictionary<string, T> rows, string key, T row)
        where T : class, Azure.Data.Tables.ITableEntity, new()
    {
        lock (Gate)
        {
            if (!rows.TryGetValue(key, out var stored) || stored.ETag != row.ETag)
            {
                return false;
            }

            row.ETag = NewETag();
            rows[key] = Copy(row, row.ETag);
            return true;
        }
    }
}
