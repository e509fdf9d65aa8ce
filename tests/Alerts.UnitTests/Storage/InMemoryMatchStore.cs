using System.Collections.Concurrent;
using Alerts.Core.Storage;

namespace Alerts.UnitTests.Storage;

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
