using Alerts.Core.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Storage;

/// <summary>A feed's seen keys in one row: read once, written once, merged with a concurrent writer, old keys dropped.</summary>
public sealed class SeenItemStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Key(int i) => $"{i:x32}";

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Seen_LegacyRowsThenNewKeys_AllKeptInOneRowOldOnesDropped()
    {
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var store = services.GetRequiredService<SeenItemStore>();
        var table = new TableClient(azurite.ConnectionString, Tables.SeenItems);
        await table.CreateIfNotExistsAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        await table.AddEntityAsync(new TableEntity("feed", Key(1)) { ["FirstSeenAt"] = now.AddDays(-2) }, Ct);
        await table.AddEntityAsync(new TableEntity("feed", Key(2)) { ["FirstSeenAt"] = now.AddDays(-120) }, Ct); // past the 90-day retention

        var legacy = await store.GetSeenAsync("feed", Ct);
        await store.MarkSeenAsync("feed", legacy, [Key(3), Key(1)], now, Ct);
        var after = await store.GetSeenAsync("feed", Ct);

        Assert.True(legacy.Contains(Key(1)) && legacy.Contains(Key(2)));
        Assert.True(after.Contains(Key(1)) && after.Contains(Key(3)));
        Assert.False(after.Contains(Key(2)));
        Assert.Equal(2, after.Count);
    }

    [Fact]
    public async Task Seen_TwoWritersFromTheSameRead_BothKeysKept()
    {
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var store = services.GetRequiredService<SeenItemStore>();
        await store.MarkSeenAsync("feed", [Key(1)], DateTimeOffset.UtcNow, Ct);
        var one = await store.GetSeenAsync("feed", Ct);
        var two = await store.GetSeenAsync("feed", Ct);

        await store.MarkSeenAsync("feed", one, [Key(2)], DateTimeOffset.UtcNow, Ct);
        await store.MarkSeenAsync("feed", two, [Key(3)], DateTimeOffset.UtcNow, Ct); // its read is stale: merged, not overwritten

        var after = await store.GetSeenAsync("feed", Ct);
        Assert.Equal(3, after.Count);
        Assert.True(after.Contains(Key(1)) && after.Contains(Key(2)) && after.Contains(Key(3)));
    }

    [Fact]
    public async Task Seen_TenThousandKeys_RoundTripInOneRow()
    {
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var store = services.GetRequiredService<SeenItemStore>();

        await store.MarkSeenAsync("big", Enumerable.Range(0, 10_000).Select(Key), DateTimeOffset.UtcNow, Ct);
        var after = await store.GetSeenAsync("big", Ct);

        Assert.Equal(10_000, after.Count);
        Assert.True(after.Contains(Key(9_999)));
    }
}
