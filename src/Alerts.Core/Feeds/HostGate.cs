using Alerts.Core.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Feeds;

/// <summary>A slot of a host's fetch limit, held until released or until it lapses.</summary>
public sealed record HostLease(string HostKey, string Slot, ETag ETag);

/// <summary>What the gate answered: a lease, or not yet (busy until, or slowed down until).</summary>
public sealed record HostAdmission(HostLease? Lease, DateTimeOffset? BusyUntil, DateTimeOffset? SlowedUntil);

/// <summary>
/// Politeness across instances: every queue consumer, in every process, fetches from one host through
/// <see cref="FetchOptions.PerHostConcurrency"/> leases in Table Storage (partition = the host, one row per
/// slot), taken with conditional writes so that two consumers never hold the same slot. A lease lapses
/// after the fetch timeout, so a consumer that dies frees its slot. A host that answers 429 (or 503 with
/// Retry-After) gets a "next allowed" time in the same partition, and every consumer waits for it.
/// One query reads a host's slots and its next-allowed time together.
/// </summary>
public sealed class HostGate(TableStorage storage, IOptions<FetchOptions> options, TimeProvider time)
{
    private const string LimitRow = "limit";

    /// <summary>How long a 429 without Retry-After slows a host down.</summary>
    public static readonly TimeSpan DefaultSlowDown = TimeSpan.FromMinutes(1);

    public static string KeyOf(string host) => Keys.Hex(host.ToLowerInvariant());

    public async Task<HostAdmission> TryAcquireAsync(string host, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.HostLeases, cancellationToken);
        var hostKey = KeyOf(host);
        var now = time.GetUtcNow();
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {hostKey}"), cancellationToken: cancellationToken))
        {
            rows[row.RowKey] = row;
        }

        if (rows.TryGetValue(LimitRow, out var limit) && limit.GetDateTimeOffset("NextAllowedAt") is { } next && next > now)
        {
            return new HostAdmission(null, null, next);
        }

        var until = now + Hold;
        DateTimeOffset? busyUntil = null;
        for (var i = 0; i < options.Value.PerHostConcurrency; i++)
        {
            var slot = $"slot-{i:D2}";
            var entity = new TableEntity(hostKey, slot) { ["LeaseUntil"] = until, ["Host"] = host };
            try
            {
                if (!rows.TryGetValue(slot, out var held))
                {
                    var added = await table.AddEntityAsync(entity, cancellationToken);
                    return new HostAdmission(new HostLease(hostKey, slot, added.Headers.ETag ?? default), null, null);
                }

                if (held.GetDateTimeOffset("LeaseUntil") is { } leaseUntil && leaseUntil > now)
                {
                    busyUntil = busyUntil is null || leaseUntil < busyUntil ? leaseUntil : busyUntil;
                    continue;
                }

                var taken = await table.UpdateEntityAsync(entity, held.ETag, TableUpdateMode.Replace, cancellationToken);
                return new HostAdmission(new HostLease(hostKey, slot, taken.Headers.ETag ?? default), null, null);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another consumer took this slot between the read and the write: try the next one.
                busyUntil ??= now + TimeSpan.FromSeconds(1);
            }
        }

        return new HostAdmission(null, busyUntil ?? now + TimeSpan.FromSeconds(1), null);
    }

    /// <summary>Frees the slot, unless it lapsed and another consumer holds it now.</summary>
    public async Task ReleaseAsync(HostLease lease, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.HostLeases, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(lease.HostKey, lease.Slot, lease.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
        }
    }

    /// <summary>Slows every consumer's fetches from <paramref name="host"/> until <paramref name="until"/> (a 429).</summary>
    public async Task SlowDownAsync(string host, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.HostLeases, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(KeyOf(host), LimitRow) { ["NextAllowedAt"] = until, ["Host"] = host }, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>How long a lease lasts: the whole fetch may take the timeout, plus a margin for the rest.</summary>
    private TimeSpan Hold => TimeSpan.FromSeconds(options.Value.TimeoutSeconds + 15);
}
