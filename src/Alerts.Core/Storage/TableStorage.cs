using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
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
    public const string StoryLinks = "StoryLinks";
    public const string DataProtectionKeys = "DataProtectionKeys";
    public const string HostLeases = "HostLeases";
}

/// <summary>The storage could not be reached or refused the request; the message is one line for people.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Hands out table clients, creating each table once per process.</summary>
public sealed class TableStorage(TableServiceClient service)
{
    private readonly CreatedOnce<TableClient> _tables = new((name, ct) => CreateAsync(service, name, ct));

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken) => _tables.GetAsync(name, cancellationToken);

    private static async Task<TableClient> CreateAsync(TableServiceClient service, string name, CancellationToken cancellationToken)
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
        RequestFailedException { Status: 401 or 403 } => true,
        _ => IsTransportFailure(ex),
    };

    /// <summary>No answer at all: refused, reset, timed out, DNS, or the credential could not get a token.</summary>
    internal static bool IsTransportFailure(Exception ex) => ex switch
    {
        StorageUnavailableException => true,
        RequestFailedException { Status: 0 } => true,
        AggregateException agg => agg.InnerExceptions.All(IsTransportFailure),
        HttpRequestException => true,
        IOException => true,
        System.Net.Sockets.SocketException => true,
        AuthenticationFailedException => true,
        _ => false,
    };

    internal static Exception Root(Exception ex)
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
        var clientOptions = Pipeline(new TableClientOptions(), StorageRequests.CountingTables);
        return options.TableServiceUri is { } uri
            ? new TableServiceClient(uri, new DefaultAzureCredential(), clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
    }

    /// <summary>
    /// The same pipeline for tables and queues: two quick retries with a 30 s network timeout; outside the
    /// retries, once they are spent, "no answer" is one exception type for every caller; each attempt counted.
    /// </summary>
    internal static T Pipeline<T>(T clientOptions, HttpPipelinePolicy counting)
        where T : ClientOptions
    {
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(300);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        clientOptions.AddPolicy(new UnreachablePolicy(), HttpPipelinePosition.PerCall);
        clientOptions.AddPolicy(counting, HttpPipelinePosition.PerRetry);
        return clientOptions;
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

/// <summary>
/// Turns a storage call that got no answer (after the SDK's own retries) into
/// <see cref="StorageUnavailableException"/>, whatever the call: hosts then answer 503 or exit 1
/// with one line instead of meeting raw socket errors or an <see cref="AggregateException"/>.
/// </summary>
internal sealed class UnreachablePolicy : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception ex) when (IsNoAnswer(ex, message))
        {
            throw Unavailable(message, ex);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception ex) when (IsNoAnswer(ex, message))
        {
            throw Unavailable(message, ex);
        }
    }

    // A network timeout surfaces as a cancellation the caller did not ask for.
    private static bool IsNoAnswer(Exception ex, HttpMessage message) =>
        ex is not StorageUnavailableException
        && (TableStorage.IsTransportFailure(ex) || (ex is OperationCanceledException && !message.CancellationToken.IsCancellationRequested));

    private static StorageUnavailableException Unavailable(HttpMessage message, Exception ex) =>
        new($"storage at {message.Request.Uri.ToUri().GetLeftPart(UriPartial.Authority)} is unreachable: {TableStorage.Root(ex).Message.ReplaceLineEndings(" ")}", ex);
}
