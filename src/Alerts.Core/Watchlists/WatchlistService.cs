using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Azure;

namespace Alerts.Core.Watchlists;

/// <summary>A watchlist in one line of a list.</summary>
public sealed record WatchlistSummary(string Name, string? Description, IReadOnlyList<string> EntityGroups, IReadOnlyList<string> Topics, int Terms);

/// <summary>A watchlist as stored now: what it says, its JSON and the ETag a change must name.</summary>
public sealed record WatchlistVersion(Watchlist Watchlist, string Json, string ETag, bool BuiltIn);

public enum WatchlistWriteStatus
{
    Created,
    Updated,
    Deleted,
    NotFound,
    /// <summary>It exists: a change must say which version it changes.</summary>
    IfMatchRequired,
    /// <summary>It changed since the caller read it; nothing was written.</summary>
    Stale,
    /// <summary>The built-in default cannot be deleted, only replaced.</summary>
    BuiltIn,
}

/// <summary>What a write did; <see cref="ETag"/> and <see cref="Json"/> are the new version's.</summary>
public sealed record WatchlistWrite(WatchlistWriteStatus Status, string? ETag = null, string? Json = null);

/// <summary>An item a draft would newly flag or stop flagging.</summary>
public sealed record DryRunItem(string Id, string Title, string? Link, double Score, string Reason);

/// <summary>What a draft would have done over the items of the last days, beside the watchlist in force.</summary>
public sealed record DryRun(string Watchlist, int Days, int ItemsChecked, int FlaggedByBoth, int WouldFlagCount, int WouldStopFlaggingCount, IReadOnlyList<DryRunItem> WouldFlag, IReadOnlyList<DryRunItem> WouldStopFlagging);

/// <summary>
/// The rules for changing watchlists, the same for <c>PUT /api/watchlists</c>, <c>alerts watchlists
/// import</c> and the admin pages: a change compiles or is refused; changing an existing watchlist
/// names the version it read (its ETag) and is refused when that version is gone, so nothing is
/// overwritten unseen; every change lands in the audit with who made it.
/// </summary>
public sealed class WatchlistService(WatchlistStore store, AuditStore audit, RecentItemStore recent, TimeProvider time)
{
    public const int MaxDryRunItems = 20_000;
    public const int MaxDryRunDays = 30;

    public async Task<IReadOnlyList<WatchlistSummary>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.GetAllAsync(cancellationToken)).Select(m => new WatchlistSummary(
            m.Watchlist.Name,
            m.Watchlist.Description,
            [.. m.Watchlist.Entities.Select(e => e.Name)],
            [.. m.Watchlist.Topics.Select(t => t.Name)],
            m.TermCount))];

    /// <summary>The watchlist in force under this name (stored, or the built-in default), or null.</summary>
    public async Task<WatchlistVersion?> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (!WatchlistValidator.IsValidName(name))
        {
            return null;
        }

        var stored = await store.GetStoredAsync(name, cancellationToken);
        if (stored is not null)
        {
            return new WatchlistVersion(WatchlistJson.Parse(stored.Json), stored.Json, stored.ETag.ToString(), BuiltIn: false);
        }

        return name == WatchlistJson.DefaultName
            ? new WatchlistVersion(WatchlistStore.Default.Watchlist, WatchlistJson.Write(WatchlistStore.Default.Watchlist), WatchlistStore.BuiltInETag, BuiltIn: true)
            : null;
    }

    /// <summary>Creates or replaces a watchlist; an existing one only when <paramref name="ifMatch"/> names the version in force.</summary>
    /// <exception cref="WatchlistException">Invalid, or its name is not <paramref name="name"/>.</exception>
    /// <exception cref="StoredTextTooLargeException">Too large to store.</exception>
    public async Task<WatchlistWrite> PutAsync(string name, Watchlist watchlist, string? ifMatch, string who, CancellationToken cancellationToken)
    {
        if (!WatchlistValidator.IsValidName(name))
        {
            throw new WatchlistException("name", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (watchlist.Name != name)
        {
            throw new WatchlistException("name", $"must be '{name}', the name it is stored under");
        }

        WatchlistMatcher.Compile(watchlist); // refuse what would not compile, before anything is read or written
        var current = await GetAsync(name, cancellationToken);
        if (current is not null && string.IsNullOrEmpty(ifMatch))
        {
            return new WatchlistWrite(WatchlistWriteStatus.IfMatchRequired);
        }

        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != current?.ETag)
        {
            return new WatchlistWrite(WatchlistWriteStatus.Stale);
        }

        // Written with the ETag just checked: a change since then makes storage refuse, never overwrite.
        var storedETag = current is { BuiltIn: false } ? new ETag(current.ETag) : (ETag?)null;
        var etag = await store.SaveIfAsync(watchlist, storedETag, cancellationToken);
        if (etag is null)
        {
            return new WatchlistWrite(WatchlistWriteStatus.Stale); // changed between our read and our write
        }

        var json = WatchlistJson.Write(watchlist);
        await audit.RecordAsync(Subject(name), who, current is null ? "create" : "update", current?.Json, json, time.GetUtcNow(), cancellationToken);
        return new WatchlistWrite(current is null ? WatchlistWriteStatus.Created : WatchlistWriteStatus.Updated, etag, json);
    }

    /// <summary>
    /// Stores a watchlist from a file: it replaces the version in force at the moment it is read
    /// (so a change made meanwhile is refused as <see cref="WatchlistWriteStatus.Stale"/>), audited like any change.
    /// </summary>
    public async Task<WatchlistWrite> ImportAsync(Watchlist watchlist, string who, CancellationToken cancellationToken)
    {
        WatchlistMatcher.Compile(watchlist);
        var current = await GetAsync(watchlist.Name, cancellationToken);
        return await PutAsync(watchlist.Name, watchlist, current?.ETag, who, cancellationToken);
    }

    /// <summary>Deletes a stored watchlist, only the version <paramref name="ifMatch"/> names.</summary>
    public async Task<WatchlistWrite> DeleteAsync(string name, string? ifMatch, string who, CancellationToken cancellationToken)
    {
        var stored = WatchlistValidator.IsValidName(name) ? await store.GetStoredAsync(name, cancellationToken) : null;
        if (stored is null)
        {
            return new WatchlistWrite(name == WatchlistJson.DefaultName ? WatchlistWriteStatus.BuiltIn : WatchlistWriteStatus.NotFound);
        }

        if (string.IsNullOrEmpty(ifMatch))
        {
            return new WatchlistWrite(WatchlistWriteStatus.IfMatchRequired);
        }

        if (ifMatch != stored.ETag.ToString() || !await store.DeleteIfAsync(name, stored.ETag, cancellationToken))
        {
            return new WatchlistWrite(WatchlistWriteStatus.Stale);
        }

        await audit.RecordAsync(Subject(name), who, "delete", stored.Json, null, time.GetUtcNow(), cancellationToken);
        return new WatchlistWrite(WatchlistWriteStatus.Deleted);
    }

    /// <summary>What <paramref name="draft"/> would have flagged and stopped flagging among the items of the last <paramref name="days"/> days.</summary>
    public async Task<DryRun> TestAsync(string name, Watchlist draft, int days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxDryRunDays)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"from 1 to {MaxDryRunDays}");
        }

        var matcher = WatchlistMatcher.Compile(draft);
        var current = await store.GetAsync(name, cancellationToken);
        var items = await recent.ListAsync(days, MaxDryRunItems, time.GetUtcNow(), cancellationToken);
        var wouldFlag = new List<DryRunItem>();
        var wouldStop = new List<DryRunItem>();
        var both = 0;
        foreach (var item in items)
        {
            var input = new MatchInput(item.Title, item.Summary, item.Content);
            var withDraft = matcher.Match(input);
            var now = current?.Match(input).Matched ?? false;
            if (withDraft.Matched && now)
            {
                both++;
            }
            else if (withDraft.Matched)
            {
                wouldFlag.Add(new DryRunItem(item.RowKey, item.Title, item.Link, withDraft.Score, withDraft.Reason));
            }
            else if (now)
            {
                wouldStop.Add(new DryRunItem(item.RowKey, item.Title, item.Link, withDraft.Score, withDraft.Reason));
            }
        }

        return new DryRun(name, days, items.Count, both, wouldFlag.Count, wouldStop.Count, [.. wouldFlag.Take(100)], [.. wouldStop.Take(100)]);
    }

    /// <summary>The newest changes of a watchlist, newest first.</summary>
    public Task<List<AuditEntry>> HistoryAsync(string name, int max, CancellationToken cancellationToken) =>
        audit.ListAsync(Subject(name), max, cancellationToken);

    private static string Subject(string name) => $"watchlist:{name}";
}
