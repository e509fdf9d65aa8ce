using System.Collections.Concurrent;
using Alerts.Core.Storage;

namespace Alerts.UnitTests.Storage;

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
