using Alerts.Core.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Storage;

/// <summary>Pruning by age: old rows go, recent ones and the digests exactly-once depends on stay.</summary>
public sealed class RetentionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Prune_RowsOlderThanRetention_DeletedOthersKept()
    {
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var now = DateTimeOffset.UtcNow;
        var seen = services.GetRequiredService<SeenItemStore>();
        await seen.MarkSeenAsync("feed-a", ["old-1", "old-2"], now.AddDays(-91), Ct);
        await seen.MarkSeenAsync("feed-a", ["new-1"], now.AddDays(-1), Ct);
        await seen.MarkSeenAsync("feed-b", ["old-3"], now.AddDays(-200), Ct);
        var recent = new TableClient(azurite.ConnectionString, Tables.RecentItems);
        await recent.CreateIfNotExistsAsync(Ct);
        await recent.AddEntityAsync(new TableEntity(RecentItemEntity.DayOf(now.AddDays(-31)), "old"), Ct);
        await recent.AddEntityAsync(new TableEntity(RecentItemEntity.DayOf(now), "new"), Ct);
        var digests = services.GetRequiredService<DigestStore>();
        await digests.TryAddAsync(new DigestEntity { PartitionKey = "sub", RowKey = "1", Status = DigestStatus.Sent, CreatedAt = now.AddDays(-181) }, Ct);
        await digests.TryAddAsync(new DigestEntity { PartitionKey = "sub", RowKey = "2", Status = DigestStatus.Unconfirmed, CreatedAt = now.AddDays(-400) }, Ct);
        await digests.TryAddAsync(new DigestEntity { PartitionKey = "sub", RowKey = "3", Status = DigestStatus.Sent, CreatedAt = now.AddDays(-2) }, Ct);
        var audit = services.GetRequiredService<AuditStore>();
        await audit.RecordAsync("watchlist:default", "admin", "put", null, "{}", now.AddDays(-366), Ct);
        await audit.RecordAsync("watchlist:default", "admin", "put", "{}", "{}", now.AddDays(-3), Ct);

        var pruned = await services.GetRequiredService<RetentionService>().PruneAsync(Ct);
        var again = await services.GetRequiredService<RetentionService>().PruneAsync(Ct);

        Assert.Equal(new PruneSummary(3, 1, 1, 1), pruned);
        Assert.Equal(new PruneSummary(0, 0, 0, 0), again);
        Assert.Equal(["new-1"], await seen.GetSeenAsync("feed-a", Ct));
        Assert.Empty(await seen.GetSeenAsync("feed-b", Ct));
        Assert.Equal(["2", "3"], (await digests.ListAsync("sub", Ct)).Select(d => d.RowKey).Order(StringComparer.Ordinal));
        Assert.Single(await audit.ListAsync("watchlist:default", 10, Ct));
    }
}
