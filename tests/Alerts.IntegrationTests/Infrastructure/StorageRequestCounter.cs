using System.Collections.Concurrent;
using Alerts.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests;

/// <summary>Counts the storage requests the services make, by path (e.g. <c>Watchlists()</c> for queries of that table).</summary>
public sealed class StorageRequestCounter : Azure.Core.Pipeline.HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _paths = new();

    public int Count(string pathContains) => _paths.Count(p => p.Contains(pathContains, StringComparison.Ordinal));

    /// <summary>Replaces the services' table client with one that reports to this counter.</summary>
    public void Install(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
            var options = new Azure.Data.Tables.TableClientOptions();
            options.AddPolicy(this, Azure.Core.HttpPipelinePosition.PerCall);
            return new Azure.Data.Tables.TableServiceClient(storage.ConnectionString, options);
        });
    }

    public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
    {
        _paths.Enqueue(message.Request.Uri.Path);
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
    {
        _paths.Enqueue(message.Request.Uri.Path);
        ProcessNext(message, pipeline);
    }
}
