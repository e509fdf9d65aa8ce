using System.Collections.Concurrent;
using Alerts.Core.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Alerts.Core.Feeds;

/// <summary>A slot of a host's fetch limit, held until released or until it lapses.</summary>
public sealed record HostLease(string HostKey, string Slot, ETag ETag, SemaphoreSlim Local);

/// <summary>What the gate answered: a lease, or not yet (busy until, or slowed down until).</summary>
public sealed record HostAdmission(HostLease? Lease, DateTimeOffset? BusyUntil, DateTimeOffset? SlowedUntil);

/// <summary>
/// Politeness across instances: every queue consumer, in every process, fetches from one host through
/// <see cref="FetchOptions.PerHostConcurrency"/> leases in Table Storage (partition = the host, one row
/// per slot). A free slot is a missing row, so taking one is a single insert-if-absent, and giving it
/// back a delete conditional on the lease's own version: two consumers never hold the same slot, and a
/// lease lapses after the fetch timeout, so a consumer that dies frees its slot. A host that answers 429
/// (or 503 with Retry-After) has every slot taken until the time it asked for, so every consumer waits.
/// Within one process a semaphore per host comes first: consumers of one process queue there, not on storage.
/// </summary>
public sealed class HostGate(TableStorage storage, IOptions<FetchOptions> options, TimeProvider time)
{
    /// <summary>How long a 429 without Retry-After slows a host down.</summary>
    public static readonly TimeSpan DefaultSlowDown = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _local = new(StringComparer.OrdinalIgnoreCase);

    public static string KeyOf(string host) => Keys.Hex(host.ToLowerInvariant());

    /// <summary>Waits up to <paramref name="localWait"/> for this process's turn at the host, then tries storage's slots once.</summary>
    public async Task<HostAdmission> TryAcquireAsync(string host, TimeSpan localWait, CancellationToken cancellationToken)
    {
        var local = _local.GetOrAdd(host, _ => new SemaphoreSlim(options.Value.PerHostConcurrency, options.Value.PerHostConcurrency));
        var now = time.GetUtcNow();
        if (!await local.WaitAsync(localWait, cancellationToken))
        {
            return new HostAdmission(null, now + TimeSpan.FromSeconds(1), null);
        }

        try
        {
            var admission = await TryStorageAsync(host, local, now, cancellationToken);
            if (admission.Lease is null)
            {
                local.Release();
            }

            return admission;
        }
        catch
        {
            local.Release();
            throw;
        }
    }

    private async Task<HostAdmission> TryStorageAsync(string host, SemaphoreSlim local, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.HostLeases, cancellationToken);
        var hostKey = KeyOf(host);
        var slots = options.Value.PerHostConcurrency;
        var until = now + Hold;
        // The usual case: a slot is free, and taking it is one insert.
        for (var i = 0; i < slots; i++)
        {
            if (await TryInsertAsync(table, hostKey, i, host, until, cancellationToken) is { } taken)
            {
                return new HostAdmission(new HostLease(hostKey, Slot(i), taken, local), null, null);
            }
        }

        // Every slot is held: by leases that lapse, or by a slow-down. One query tells which.
        DateTimeOffset? busyUntil = null, slowedUntil = null;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {hostKey}"), cancellationToken: cancellationToken))
        {
            var leaseUntil = row.GetDateTimeOffset("LeaseUntil") ?? now;
            if (row.GetBoolean("SlowedDown") == true && leaseUntil > now)
            {
                slowedUntil = slowedUntil is null || leaseUntil > slowedUntil ? leaseUntil : slowedUntil;
            }
            else if (leaseUntil <= now && int.TryParse(row.RowKey.AsSpan(5), out var index) && index < slots)
            {
                // A lapsed lease (its consumer died): take it over, conditional on the version read.
                try
                {
                    var response = await table.UpdateEntityAsync(Lease(hostKey, index, host, until), row.ETag, TableUpdateMode.Replace, cancellationToken);
                    return new HostAdmission(new HostLease(hostKey, row.RowKey, response.Headers.ETag ?? default, local), null, null);
                }
                catch (RequestFailedException ex) when (ex.Status is 412 or 404)
                {
                }
            }
            else
            {
                busyUntil = busyUntil is null || leaseUntil < busyUntil ? leaseUntil : busyUntil;
            }
        }

        return slowedUntil is not null ? new HostAdmission(null, null, slowedUntil) : new HostAdmission(null, busyUntil ?? now + TimeSpan.FromSeconds(1), null);
    }

    /// <summary>Frees the slot, unless it lapsed and another consumer holds it now, or a slow-down took it.</summary>
    public async Task ReleaseAsync(HostLease lease, CancellationToken cancellationToken)
    {
        try
        {
            var table = await storage.GetAsync(Tables.HostLeases, cancellationToken);
            await table.DeleteEntityAsync(lease.HostKey, lease.Slot, lease.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
        }
        finally
        {
            lease.Local.Release();
        }
    }

    /// <summary>Slows every consumer's fetches from <paramref name="host"/> until <paramref name="until"/> (a 429): every slot is held until then.</summary>
    public async Task SlowDownAsync(string host, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var table = await storage.GetAsync(Tables.HostLeases, cancellationToken);
        var hostKey = KeyOf(host);
        await table.SubmitTransactionAsync(
            Enumerable.Range(0, options.Value.PerHostConcurrency).Select(i =>
            {
                var row = Lease(hostKey, i, host, until);
                row["SlowedDown"] = true;
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
            }),
            cancellationToken);
    }

    private static async Task<ETag?> TryInsertAsync(TableClient table, string hostKey, int index, string host, DateTimeOffset until, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.AddEntityAsync(Lease(hostKey, index, host, until), cancellationToken);
            return response.Headers.ETag ?? default(ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    private static TableEntity Lease(string hostKey, int index, string host, DateTimeOffset until) =>
        new(hostKey, Slot(index)) { ["LeaseUntil"] = until, ["Host"] = host };

    private static string Slot(int index) => $"slot-{index:D2}";

    /// <summary>How long a lease lasts: the whole fetch may take the timeout, plus a margin for the rest.</summary>
    private TimeSpan Hold => TimeSpan.FromSeconds(options.Value.TimeoutSeconds + 15);
}
