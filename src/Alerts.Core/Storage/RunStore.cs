using Azure;
using Azure.Data.Tables;

namespace Alerts.Core.Storage;

/// <summary>The last run of each job (poll, digest), for the health endpoint.</summary>
public sealed class RunEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "run";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public string Summary { get; set; } = "";
}

public sealed class RunStore(TableStorage storage)
{
    public async Task RecordAsync(string job, DateTimeOffset startedAt, DateTimeOffset finishedAt, string summary, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Runs, cancellationToken);
        await table.UpsertEntityAsync(new RunEntity { RowKey = job, StartedAt = startedAt, FinishedAt = finishedAt, Summary = summary }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<RunEntity?> GetAsync(string job, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.Runs, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<RunEntity>("run", job, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }
}
