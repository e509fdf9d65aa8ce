using Azure.Data.Tables;

namespace Alerts.Core.Storage;

/// <summary>One change to a watchlist: who, when, what it was before and after.</summary>
/// <param name="Subject"><c>watchlist:NAME</c>.</param>
public sealed record AuditEntry(string Subject, string Who, DateTimeOffset When, string Action, string? Before, string? After);

/// <summary>
/// The audit table: partition = subject, row key = inverted ticks and a random suffix, so the newest
/// change comes first and two never collide. Before and after are kept whole, however large
/// (<see cref="LargeText"/>); if both together would not fit one row, "before" — which is the previous
/// entry's "after" — is left out and says so.
/// </summary>
public sealed class AuditStore(TableStorage storage)
{
    private const string BeforeLeftOut = "(left out: too large to keep beside the new version; see the previous entry's after)";

    public async Task RecordAsync(string subject, string who, string action, string? before, string? after, DateTimeOffset when, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(subject, $"{DateTimeOffset.MaxValue.UtcTicks - when.UtcTicks:D19}-{Guid.NewGuid():N}")
        {
            ["Who"] = who,
            ["When"] = when,
            ["Action"] = action,
        };
        LargeText.Write(entity, "After", after);
        var partsLeft = LargeText.MaxParts - (entity.GetInt32("AfterGzParts") ?? 0);
        try
        {
            LargeText.Write(entity, "Before", before, Math.Max(partsLeft, 0));
        }
        catch (StoredTextTooLargeException)
        {
            entity["Before"] = BeforeLeftOut;
        }

        var table = await storage.GetAsync(Tables.Audit, cancellationToken);
        await table.AddEntityAsync(entity, cancellationToken);
    }

    /// <summary>The newest <paramref name="max"/> changes of a subject, newest first.</summary>
    public async Task<List<AuditEntry>> ListAsync(string subject, int max, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Audit, cancellationToken);
        var list = new List<AuditEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(a => a.PartitionKey == subject, maxPerPage: max, cancellationToken: cancellationToken))
        {
            list.Add(new AuditEntry(row.PartitionKey, row.GetString("Who") ?? "", row.GetDateTimeOffset("When") ?? default, row.GetString("Action") ?? "", LargeText.Read(row, "Before"), LargeText.Read(row, "After")));
            if (list.Count >= max)
            {
                break;
            }
        }

        return list;
    }
}
