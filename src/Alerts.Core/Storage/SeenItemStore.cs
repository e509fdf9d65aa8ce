using System.Buffers.Binary;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Storage;

/// <summary>The keys of one feed's items already processed, with the day each was first seen.</summary>
public sealed class SeenSet
{
    internal Dictionary<string, int> Days { get; } = new(StringComparer.Ordinal);

    internal ETag ETag { get; set; }

    internal bool Stored { get; set; }

    public int Count => Days.Count;

    public bool Contains(string key) => Days.ContainsKey(key);
}

/// <summary>
/// Which items of a feed were already processed, so an item is matched and stored once. One row per
/// feed (partition = the feed's key, row <c>~set</c>) holds every key as 16 bytes plus the day it was
/// first seen, packed into binary properties: reading a feed's keys is one point read and recording new
/// ones one conditional write. (One row per key, written in batches, cost about 50 KiB of allocations a
/// key in the storage client's batch handling; this costs a few bytes.) Keys older than the retention
/// are dropped when the row is written, and a full row drops its oldest keys.
/// Rows of the earlier layout (one row per key) are still read until the retention prunes them.
/// </summary>
public sealed class SeenItemStore(TableStorage storage, IOptions<RetentionOptions> retention)
{
    public const string SetRow = "~set";
    private const int EntryBytes = 20; // 16 bytes of key, 4 of day
    private const int PartBytes = 64 * 1024;
    private const int MaxParts = 14; // within the 1 MiB a row may hold
    private const int EntriesPerPart = PartBytes / EntryBytes;

    public async Task<SeenSet> GetSeenAsync(string feedKey, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.SeenItems, cancellationToken);
        var set = new SeenSet();
        var row = await table.GetEntityIfExistsAsync<TableEntity>(feedKey, SetRow, cancellationToken: cancellationToken);
        if (row.HasValue && row.Value is { } stored)
        {
            set.ETag = stored.ETag;
            set.Stored = true;
            Unpack(stored, set);
            return set;
        }

        // No row of this layout yet: the feed's keys may still be rows of the earlier one.
        await foreach (var legacy in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {feedKey}"), select: ["RowKey", "FirstSeenAt"], cancellationToken: cancellationToken))
        {
            set.Days[legacy.RowKey] = DayOf(legacy.GetDateTimeOffset("FirstSeenAt") ?? DateTimeOffset.UtcNow);
        }

        return set;
    }

    /// <summary>Records <paramref name="itemKeys"/> as seen now, beside the keys in <paramref name="known"/>; merges with a concurrent writer's keys.</summary>
    public async Task MarkSeenAsync(string feedKey, SeenSet known, IEnumerable<string> itemKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.SeenItems, cancellationToken);
        var today = DayOf(now);
        var added = itemKeys.Where(k => !known.Contains(k)).Distinct(StringComparer.Ordinal).ToList();
        if (added.Count == 0 && known.Stored)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            foreach (var key in added)
            {
                known.Days.TryAdd(key, today);
            }

            var entity = Pack(feedKey, known, today - retention.Value.SeenItemsDays, now);
            try
            {
                var response = known.Stored
                    ? await table.UpdateEntityAsync(entity, known.ETag, TableUpdateMode.Replace, cancellationToken)
                    : await table.AddEntityAsync(entity, cancellationToken);
                known.ETag = response.Headers.ETag ?? default;
                known.Stored = true;
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 5)
            {
                // Another writer changed the row since it was read: take its keys too, and write again.
                var fresh = await GetSeenAsync(feedKey, cancellationToken);
                foreach (var (key, day) in known.Days)
                {
                    fresh.Days.TryAdd(key, day);
                }

                known = fresh;
            }
        }
    }

    /// <summary>Records keys as seen now, for a feed read without its set (tests, tools).</summary>
    public async Task MarkSeenAsync(string feedKey, IEnumerable<string> itemKeys, DateTimeOffset now, CancellationToken cancellationToken) =>
        await MarkSeenAsync(feedKey, await GetSeenAsync(feedKey, cancellationToken), itemKeys, now, cancellationToken);

    public static int DayOf(DateTimeOffset time) => (int)(time.UtcDateTime - DateTime.UnixEpoch).TotalDays;

    private static TableEntity Pack(string feedKey, SeenSet set, int oldestDay, DateTimeOffset now)
    {
        // Newest first, so that a full row keeps the newest keys; keys that are not 128-bit hex (none today) cannot be packed and are dropped.
        var entries = set.Days.Where(e => e.Value >= oldestDay && e.Key.Length == 32).OrderByDescending(e => e.Value).Take(MaxParts * EntriesPerPart).ToList();
        var entity = new TableEntity(feedKey, SetRow) { ["UpdatedAt"] = now, ["Count"] = entries.Count };
        var parts = (entries.Count + EntriesPerPart - 1) / EntriesPerPart;
        for (var p = 0; p < parts; p++)
        {
            var slice = entries.Skip(p * EntriesPerPart).Take(EntriesPerPart).ToList();
            var bytes = new byte[slice.Count * EntryBytes];
            for (var i = 0; i < slice.Count; i++)
            {
                var span = bytes.AsSpan(i * EntryBytes, EntryBytes);
                Convert.FromHexString(slice[i].Key, span[..16], out _, out _);
                BinaryPrimitives.WriteInt32LittleEndian(span[16..], slice[i].Value);
            }

            entity[$"Keys{p}"] = bytes;
        }

        entity["Parts"] = parts;
        return entity;
    }

    private static void Unpack(TableEntity row, SeenSet set)
    {
        var parts = row.GetInt32("Parts") ?? 0;
        for (var p = 0; p < parts; p++)
        {
            var bytes = row.GetBinary($"Keys{p}") ?? [];
            for (var i = 0; i + EntryBytes <= bytes.Length; i += EntryBytes)
            {
                set.Days[Convert.ToHexStringLower(bytes, i, 16)] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i + 16, 4));
            }
        }
    }
}
