using Alerts.Local;

namespace Alerts.IntegrationTests;

/// <summary>A real Azurite (table and queue services), in memory, on free loopback ports; one per test class.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public string ConnectionString => _azurite!.ConnectionString;

    /// <summary>Deletes every table and queue, so each test starts from empty storage.</summary>
    public async Task ResetAsync()
    {
        var service = new Azure.Data.Tables.TableServiceClient(ConnectionString);
        await foreach (var table in service.QueryAsync())
        {
            await service.DeleteTableAsync(table.Name);
        }

        var queues = new Azure.Storage.Queues.QueueServiceClient(ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            await queues.DeleteQueueAsync(queue.Name);
        }
    }

    public async ValueTask InitializeAsync() => _azurite = await Azurite.StartAsync(0, null, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
