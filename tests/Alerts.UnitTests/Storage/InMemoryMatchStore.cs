using System.Collections.Concurrent;
using Alerts.Core.Storage;

namespace Alerts.UnitTests.Storage;

internal sealed class InMemoryMatchStore : IMatchStore
{
    private readonly ConcurrentBag<MatchEntity> _rows = [];

    public void Add(MatchEntity match) => _rows.Add(match);

    public Task<List<MatchEntity>> ListOldestAsync(string watchlist, DateTimeOffset? matchedAfter, DateTimeOffset matchedUpTo, int take, CancellationToken cancellationToken)
    {
        var ordered = _rows
            .Where(m => m.PartitionKey == watchlist && (matchedAfter is null || m.MatchedAt > matchedAfter) && m.MatchedAt <= matchedUpTo)
            .OrderBy(m => m.MatchedAt)
            .ThenBy(m => m.RowKey, StringComparer.Ordinal)
            .ToList();
        var list = new List<MatchEntity>();
        foreach (var m in ordered)
        {
            // The same rule as the table store: take, then every match stored at the same instant as the last.
            if (list.Count >= take && m.MatchedAt != list[^1].MatchedAt)
            {
                break;
            }

            list.Add(m);
        }

        return Task.FromResult(list);
    }
}
