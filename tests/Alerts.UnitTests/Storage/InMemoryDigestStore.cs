using System.Collections.Concurrent;
using Alerts.Core.Storage;

namespace Alerts.UnitTests.Storage;

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
