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
    // The built-in default is the same everywhere: compiled and hashed once per process.
    private static readonly Lazy<WatchlistMatcher> BuiltIn = new(() => WatchlistMatcher.Compile(WatchlistJson.LoadDefault()));
    private static readonly Lazy<string> BuiltInTag = new(() => $"\"builtin-{Feeds.Keys.Hex(WatchlistJson.Write(BuiltIn.Value.Watchlist))[..16]}\"");

    public static WatchlistMatcher Default => BuiltIn.Value;

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

        var stored = await GetStoredAsync(name, cancellationToken);
        return stored is not null ? Compiled(stored) : name == WatchlistJson.DefaultName ? Default : null;
    }

    public async Task SaveAsync(Watchlist watchlist, CancellationToken cancellationToken)
    {
        WatchlistMatcher.Compile(watchlist); // refuse what would not compile
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        await table.UpsertEntityAsync(new WatchlistEntity { RowKey = watchlist.Name, Json = WatchlistJson.Write(watchlist) }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The ETag of the built-in default watchlist (not stored): a hash of its JSON.</summary>
    public static string BuiltInETag => BuiltInTag.Value;

    /// <summary>The stored row of a watchlist, or null (the built-in default is not stored until edited).</summary>
    public async Task<WatchlistEntity?> GetStoredAsync(string name, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<WatchlistEntity>(WatchlistEntity.Partition, name, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Creates (when <paramref name="ifMatch"/> is null) or replaces only the version the caller read.</summary>
    /// <returns>The new ETag; null when the stored version differs (412) or it already exists (create).</returns>
    public async Task<string?> SaveIfAsync(Watchlist watchlist, ETag? ifMatch, CancellationToken cancellationToken)
    {
        WatchlistMatcher.Compile(watchlist);
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        var entity = new WatchlistEntity { RowKey = watchlist.Name, Json = WatchlistJson.Write(watchlist) };
        try
        {
            var response = ifMatch is { } etag
                ? await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
                : await table.AddEntityAsync(entity, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Deletes only the version the caller read; false when it changed or is gone.</summary>
    public async Task<bool> DeleteIfAsync(string name, ETag ifMatch, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(WatchlistEntity.Partition, name, ifMatch, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
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
