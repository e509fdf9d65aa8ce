using Azure;
using Azure.Data.Tables;
using Alerts.Core.Matching;

namespace Alerts.Core.Storage;

/// <summary>A stored watchlist: its JSON as admins wrote it.</summary>
public sealed class WatchlistEntity : ITableEntity
{
    public const string Partition = "watchlist";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Json { get; set; } = "";
}

/// <summary>
/// Watchlists in Table Storage, compiled once and cached until they change. The default watchlist
/// ships with the service and is used until an admin stores one of the same name.
/// </summary>
public sealed class WatchlistStore(TableStorage storage)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ETag ETag, WatchlistMatcher Matcher)> _compiled = new(StringComparer.Ordinal);
    private readonly Lazy<WatchlistMatcher> _default = new(() => WatchlistMatcher.Compile(WatchlistJson.LoadDefault()));

    public WatchlistMatcher Default => _default.Value;

    /// <summary>Every watchlist in force: the stored ones, plus the default unless it was replaced.</summary>
    public async Task<IReadOnlyList<WatchlistMatcher>> GetAllAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        var result = new List<WatchlistMatcher>();
        await foreach (var row in table.QueryAsync<WatchlistEntity>(w => w.PartitionKey == WatchlistEntity.Partition, cancellationToken: cancellationToken))
        {
            result.Add(Compiled(row));
        }

        if (!result.Any(m => m.Watchlist.Name == WatchlistJson.DefaultName))
        {
            result.Insert(0, Default);
        }

        return result;
    }

    /// <summary>A watchlist by name, or null when there is none.</summary>
    public async Task<WatchlistMatcher?> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (!WatchlistValidator.IsValidName(name))
        {
            return null;
        }

        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<WatchlistEntity>(WatchlistEntity.Partition, name, cancellationToken: cancellationToken);
        if (row.HasValue && row.Value is { } entity)
        {
            return Compiled(entity);
        }

        return name == WatchlistJson.DefaultName ? Default : null;
    }

    public async Task SaveAsync(Watchlist watchlist, CancellationToken cancellationToken)
    {
        WatchlistMatcher.Compile(watchlist); // refuse what would not compile
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        await table.UpsertEntityAsync(new WatchlistEntity { RowKey = watchlist.Name, Json = WatchlistJson.Write(watchlist) }, TableUpdateMode.Replace, cancellationToken);
    }

    private WatchlistMatcher Compiled(WatchlistEntity row)
    {
        lock (_gate)
        {
            if (_compiled.TryGetValue(row.RowKey, out var cached) && cached.ETag == row.ETag)
            {
                return cached.Matcher;
            }
        }

        var matcher = WatchlistMatcher.Compile(WatchlistJson.Parse(row.Json));
        lock (_gate)
        {
            _compiled[row.RowKey] = (row.ETag, matcher);
        }

        return matcher;
    }
}
