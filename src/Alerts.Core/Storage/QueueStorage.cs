using Azure.Identity;
using Azure.Storage.Queues;

namespace Alerts.Core.Storage;

/// <summary>Queue names, in one place.</summary>
public static class QueueNames
{
    /// <summary>One message per due feed: <c>{"feedUrl","enqueuedAt"}</c>.</summary>
    public const string PollFeeds = "poll-feeds";

    /// <summary>Where the Functions host (and the local consumer) moves a message that failed <see cref="QueueOptions.MaxDequeueCount"/> times.</summary>
    public const string PollFeedsPoison = PollFeeds + "-poison";
}

/// <summary>Hands out queue clients, creating each queue once per process.</summary>
public sealed class QueueStorage(QueueServiceClient service)
{
    private readonly CreatedOnce<QueueClient> _queues = new((name, ct) => CreateAsync(service, name, ct));

    public Uri Uri => service.Uri;

    public Task<QueueClient> GetAsync(string name, CancellationToken cancellationToken) => _queues.GetAsync(name, cancellationToken);

    private static async Task<QueueClient> CreateAsync(QueueServiceClient service, string name, CancellationToken cancellationToken)
    {
        var client = service.GetQueueClient(name);
        await TableStorage.Guard(() => client.CreateIfNotExistsAsync(cancellationToken: cancellationToken), service.Uri);
        return client;
    }

    /// <summary>
    /// The same storage setting as the tables: the connection string (Azurite's carries a QueueEndpoint),
    /// or in Azure the queue endpoint with the managed identity. Messages are Base64, as the Functions
    /// queue trigger reads and writes them by default.
    /// </summary>
    public static QueueServiceClient CreateServiceClient(StorageOptions options)
    {
        var clientOptions = TableStorage.Pipeline(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, StorageRequests.CountingQueues);
        return options.QueueServiceUri is { } uri
            ? new QueueServiceClient(uri, new DefaultAzureCredential(), clientOptions)
            : new QueueServiceClient(options.ConnectionString, clientOptions);
    }
}
