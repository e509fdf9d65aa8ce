using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Storage;

/// <summary>What one pruning run deleted, per table.</summary>
public sealed record PruneSummary(int SeenItems, int RecentItems, int Digests, int Audit)
{
    public override string ToString() => $"pruned {SeenItems} seen item(s), {RecentItems} recent item(s), {Digests} digest record(s), {Audit} audit entr(ies)";
}

/// <summary>
/// Keeps the growing tables bounded: rows older than their retention (<see cref="RetentionOptions"/>) are
/// deleted on a schedule, at most <see cref="RetentionOptions.MaxRowsPerRun"/> per table and run (the
/// next run goes on). The filters are server-side and select only keys; deletes go a hundred to a
/// transaction within a partition.
/// <list type="bullet">
/// <item><c>SeenItems</c>: a feed's keys are dropped one by one past the retention whenever its row is
/// written; here, whole rows that have not changed for the retention go (a feed gone quiet or removed).
/// An item still in its feed after its key went is processed again and stores nothing new (matches are
/// idempotent), so the retention only has to outlast how long feeds carry items.</item>
/// <item><c>RecentItems</c>: whole days (the partition is the day).</item>
/// <item><c>Digests</c>: sent records only. Failed, unconfirmed or in-flight ones are what exactly-once
/// depends on and what admins look at; they stay.</item>
/// <item><c>Audit</c>: entries before the cutoff (the row key is inverted time, so old entries have the largest keys).</item>
/// </list>
/// </summary>
public sealed class RetentionService(TableStorage storage, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger)
{
    public async Task<PruneSummary> PruneAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        // Rows of the earlier one-key-a-row layout by age; a feed's key set when it has not changed for the whole retention (a feed gone quiet, or removed).
        var seenCutoff = now.AddDays(-o.SeenItemsDays);
        var seen = await DeleteAsync(Tables.SeenItems, TableClient.CreateQueryFilter($"FirstSeenAt lt {seenCutoff} or UpdatedAt lt {seenCutoff}"), cancellationToken);
        var recent = await DeleteAsync(Tables.RecentItems, TableClient.CreateQueryFilter($"PartitionKey lt {RecentItemEntity.DayOf(now.AddDays(-o.RecentItemsDays))}"), cancellationToken);
        var digests = await DeleteAsync(Tables.Digests, TableClient.CreateQueryFilter($"Status eq {DigestStatus.Sent} and CreatedAt lt {now.AddDays(-o.DigestsDays)}"), cancellationToken);
        var cutoff = $"{DateTimeOffset.MaxValue.UtcTicks - now.AddDays(-o.AuditDays).UtcTicks:D19}";
        var audit = await DeleteAsync(Tables.Audit, TableClient.CreateQueryFilter($"RowKey gt {cutoff}"), cancellationToken);
        var summary = new PruneSummary(seen, recent, digests, audit);
        logger.LogInformation("Pruned {SeenCount} seen items, {RecentCount} recent items, {DigestCount} digests, {AuditCount} audit entries", seen, recent, digests, audit);
        return summary;
    }

    private async Task<int> DeleteAsync(string tableName, string filter, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(tableName, cancellationToken);
        var limit = options.Value.MaxRowsPerRun;
        var deleted = 0;
        var batch = new List<TableEntity>(100);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (batch.Count == 100 || (batch.Count > 0 && batch[0].PartitionKey != row.PartitionKey))
            {
                deleted += await DeleteBatchAsync(table, batch, cancellationToken);
            }

            if (deleted + batch.Count >= limit)
            {
                break;
            }

            batch.Add(row);
        }

        return deleted + await DeleteBatchAsync(table, batch, cancellationToken);
    }

    private static async Task<int> DeleteBatchAsync(TableClient table, List<TableEntity> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var count = batch.Count;
        try
        {
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // Someone deleted one of them first (two pruning runs): delete the rest one by one.
            foreach (var row in batch)
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            }
        }

        batch.Clear();
        return count;
    }
}
