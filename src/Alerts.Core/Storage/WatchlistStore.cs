using Azure;
using Azure.Data.Tables;
using Alerts.Core.Matching;

namespace Alerts.Core.Storage;

/// <summary>A stored watchlist: its JSON as admins wrote it, and the row's ETag.</summary>
public sealed record StoredWatchlist(string Name, string Json, ETag ETag);

/// <summary>
/// Watchlists in Table Storage, compiled once and cached until they change. The default watchlist
/// ships with the service and is used until an admin stores one of the same name. The JSON of a
/// large watchlist (10,000 aliases and more) is stored compressed across properties (<see cref="LargeText"/>).
/// </summary>
public sealed class WatchlistStore(TableStorage storage, TimeProvider time)
{
    private const string Partition = "watchlist";
    private const string JsonProperty = "Json";

    /// <summary>How long the list of names may be reused before storage is asked again (another instance may have added one).</summary>
    private static readonly TimeSpan NamesFreshFor = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ETag ETag, WatchlistMatcher Matcher)> _compiled = new(StringComparer.Ordinal);
    private (HashSet<string> Names, DateTimeOffset At)? _names;

    // The built-in default is the same everywhere: compiled and hashed once per process.
    private static readonly Lazy<WatchlistMatcher> BuiltIn = new(() => WatchlistMatcher.Compile(WatchlistJson.LoadDefault()));
    private static readonly Lazy<string> BuiltInTag = new(() => $"\"builtin-{Feeds.Keys.Hex(WatchlistJson.Write(BuiltIn.Value.Watchlist))[..16]}\"");

    public static WatchlistMatcher Default => BuiltIn.Value;

    /// <summary>The ETag of the built-in default watchlist (not stored): a hash of its JSON.</summary>
    public static string BuiltInETag => BuiltInTag.Value;

    /// <summary>Every watchlist in force: the stored ones, plus the default unless it was replaced.</summary>
    public async Task<IReadOnlyList<WatchlistMatcher>> GetAllAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        var result = new List<WatchlistMatcher>();
        await foreach (var row in table.QueryAsync<TableEntity>(w => w.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            result.Add(Compiled(ToStored(row)));
        }

        if (!result.Any(m => m.Watchlist.Name == WatchlistJson.DefaultName))
        {
            result.Insert(0, Default);
        }

        return result;
    }

    /// <summary>
    /// The names of the watchlists in force (the default included), from one query reused for a
    /// minute: a subscription naming many watchlists costs one read, not one per name.
    /// </summary>
    public async Task<IReadOnlySet<string>> GetNamesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_names is { } cached && now - cached.At < NamesFreshFor)
            {
                return cached.Names;
            }
        }

        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        var names = new HashSet<string>(StringComparer.Ordinal) { WatchlistJson.DefaultName };
        await foreach (var row in table.QueryAsync<TableEntity>(w => w.PartitionKey == Partition, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            names.Add(row.RowKey);
        }

        lock (_gate)
        {
            _names = (names, now);
        }

        return names;
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

    /// <summary>The stored watchlist, or null (the built-in default is not stored until edited).</summary>
    public async Task<StoredWatchlist?> GetStoredAsync(string name, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? ToStored(row.Value) : null;
    }

    /// <summary>Creates (when <paramref name="ifMatch"/> is null) or replaces only the version the caller read.</summary>
    /// <returns>The new ETag; null when the stored version differs (412) or it already exists (create).</returns>
    /// <exception cref="StoredTextTooLargeException">The watchlist is too large to store, even compressed.</exception>
    public async Task<string?> SaveIfAsync(Watchlist watchlist, ETag? ifMatch, CancellationToken cancellationToken)
    {
        WatchlistMatcher.Compile(watchlist);
        var entity = ToEntity(watchlist);
        var table = await storage.GetAsync(Tables.Watchlists, cancellationToken);
        try
        {
            var response = ifMatch is { } etag
                ? await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
                : await table.AddEntityAsync(entity, cancellationToken);
            Forget();
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
            await table.DeleteEntityAsync(Partition, name, ifMatch, cancellationToken);
            Forget();
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(Watchlist watchlist)
    {
        var entity = new TableEntity(Partition, watchlist.Name);
        LargeText.Write(entity, JsonProperty, WatchlistJson.Write(watchlist));
        return entity;
    }

    private static StoredWatchlist ToStored(TableEntity row) =>
        new(row.RowKey, LargeText.Read(row, JsonProperty) ?? throw new InvalidDataException($"stored watchlist '{row.RowKey}' has no JSON"), row.ETag);

    private void Forget()
    {
        lock (_gate)
        {
            _names = null;
        }
    }

    private WatchlistMatcher Compiled(StoredWatchlist row)
    {
        lock (_gate)
        {
            if (_compiled.TryGetValue(row.Name, out var cached) && cached.ETag == row.ETag)
            {
                return cached.Matcher;
            }
        }

        var matcher = WatchlistMatcher.Compile(WatchlistJson.Parse(row.Json));
        lock (_gate)
        {
            _compiled[row.Name] = (row.ETag, matcher);
        }

        return matcher;
    }
}
