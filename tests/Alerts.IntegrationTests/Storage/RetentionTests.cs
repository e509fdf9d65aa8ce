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
        var seenTable = new TableClient(azurite.ConnectionString, Tables.SeenItems);
        await seenTable.CreateIfNotExistsAsync(Ct);
        // Rows of the earlier one-key-a-row layout, two old and one recent; a quiet feed's set; an active feed's set.
        await seenTable.AddEntityAsync(new TableEntity("legacy", "old-1") { ["FirstSeenAt"] = now.AddDays(-91) }, Ct);
        await seenTable.AddEntityAsync(new TableEntity("legacy", "old-2") { ["FirstSeenAt"] = now.AddDays(-200) }, Ct);
        await seenTable.AddEntityAsync(new TableEntity("legacy", "new-1") { ["FirstSeenAt"] = now.AddDays(-1) }, Ct);
        await seen.MarkSeenAsync("quiet", [new string('a', 32)], now.AddDays(-91), Ct);
        await seen.MarkSeenAsync("active", [new string('b', 32)], now.AddDays(-1), Ct);
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
        Assert.True((await seen.GetSeenAsync("legacy", Ct)).Contains("new-1"));
        Assert.Equal(1, (await seen.GetSeenAsync("legacy", Ct)).Count);
        Assert.Equal(0, (await seen.GetSeenAsync("quiet", Ct)).Count);
        Assert.True((await seen.GetSeenAsync("active", Ct)).Contains(new string('b', 32)));
        Assert.Equal(["2", "3"], (await digests.ListAsync("sub", Ct)).Select(d => d.RowKey).Order(StringComparer.Ordinal));
        Assert.Single(await audit.ListAsync("watchlist:default", 10, Ct));
    }
}
