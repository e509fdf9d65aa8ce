using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;

namespace Alerts.Core.Storage;

/// <summary>Table names, in one place.</summary>
public static class Tables
{
    public const string Feeds = "Feeds";
    public const string SeenItems = "SeenItems";
    public const string Matches = "Matches";
    public const string Subscribers = "Subscribers";
    public const string Digests = "Digests";
    public const string Watchlists = "Watchlists";
    public const string Runs = "Runs";
    public const string RecentItems = "RecentItems";
    public const string Audit = "Audit";
}

/// <summary>The storage could not be reached or refused the request; the message is one line for people.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Hands out table clients, creating each table once per process.</summary>
public sealed class TableStorage(TableServiceClient service)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();

    public TableServiceClient Service => service;

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n, cancellationToken)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _tables.TryRemove(name, out _); // let the next call try again
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var client = service.GetTableClient(name);
        await Guard(() => client.CreateIfNotExistsAsync(cancellationToken), service.Uri);
        return client;
    }

    /// <summary>Runs a storage call, turning "cannot reach it" into <see cref="StorageUnavailableException"/>.</summary>
    public static async Task<T> Guard<T>(Func<Task<T>> call, Uri endpoint)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw new StorageUnavailableException($"storage at {endpoint.GetLeftPart(UriPartial.Authority)} is unreachable: {Root(ex).Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    private static bool IsUnreachable(Exception ex) => ex switch
    {
        RequestFailedException { Status: 0 } => true,
        RequestFailedException { Status: 401 or 403 } => true,
        AggregateException agg => agg.InnerExceptions.All(IsUnreachable),
        HttpRequestException => true,
        AuthenticationFailedException => true,
        _ => false,
    };

    private static Exception Root(Exception ex)
    {
        while (ex.InnerException is not null && ex is AggregateException or RequestFailedException { Status: 0 })
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    /// <summary>One code path for both places the service runs: a connection string locally, the managed identity in Azure.</summary>
    public static TableServiceClient CreateServiceClient(StorageOptions options)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(300);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options.TableServiceUri is { } uri
            ? new TableServiceClient(uri, new DefaultAzureCredential(), clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
    }

    /// <summary>Writes entities in transactions of up to <paramref name="batchSize"/> (at most 100, the Table Storage limit) per partition.</summary>
    public static async Task UpsertBatchedAsync<T>(TableClient table, IEnumerable<T> entities, CancellationToken cancellationToken, int batchSize = 100)
        where T : class, ITableEntity
    {
        foreach (var partition in entities.GroupBy(e => e.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(batchSize))
            {
                await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
            }
        }
    }
}
