using Alerts.Core.Matches;
using Alerts.Core.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Matches;

/// <summary>Matches are read a page at a time from their time-ordered copies: never a whole partition.</summary>
public sealed class MatchPagingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static MatchEntity Match(string watchlist, int i, DateTimeOffset published) => new()
    {
        PartitionKey = watchlist,
        RowKey = $"{i:x32}",
        Title = $"Story {i}",
        Sources = "https://feed.test/rss.xml",
        PublishedAt = published,
        Score = 3,
    };

    [Fact]
    public async Task List_TwoWatchlistsPagedWithContinuation_NewestFirstEachOnce()
    {
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var store = services.GetRequiredService<MatchStore>();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        await store.StoreAsync([.. Enumerable.Range(0, 7).Select(i => Match("default", i, start.AddMinutes(i)))], Ct);
        await store.StoreAsync([.. Enumerable.Range(100, 6).Select(i => Match("sanctions", i, start.AddMinutes(i - 100).AddSeconds(30)))], Ct);
        var service = services.GetRequiredService<MatchService>();

        var seen = new List<MatchView>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await service.ListAsync(new MatchQuery(Max: 4, Continuation: continuation), Ct);
            seen.AddRange(page.Items);
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null && pages < 10);
        var sinceOnly = await service.ListAsync(new MatchQuery("default", Since: start.AddMinutes(5), Max: 50), Ct);

        Assert.Equal(4, pages);
        Assert.Equal(13, seen.Select(m => (m.Watchlist, m.Id)).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(m => m.PublishedAt), seen);
        Assert.Equal(["Story 6", "Story 5"], sinceOnly.Items.Select(m => m.Title));
        await Assert.ThrowsAsync<MatchQueryException>(() => service.ListAsync(new MatchQuery(Continuation: "bm90LWEtdG9rZW4"), Ct));
    }

    [Fact]
    public async Task List_FilterAndUntilOverTwoWatchlists_PagesHoldOnlyAcceptedEachOnce()
    {
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        var store = services.GetRequiredService<MatchStore>();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        // Every third story names Iran and Russia; the rest name North Korea and Russia.
        MatchEntity Tagged(string watchlist, int i)
        {
            var m = Match(watchlist, i, start.AddMinutes(i));
            m.Entities = i % 3 == 0 ? "Iran,Russia" : "North Korea,Russia";
            return m;
        }

        await store.StoreAsync([.. Enumerable.Range(0, 30).Select(i => Tagged("default", i))], Ct);
        await store.StoreAsync([.. Enumerable.Range(40, 30).Select(i => Tagged("sanctions", i))], Ct);
        var service = services.GetRequiredService<MatchService>();
        var until = start.AddMinutes(60);

        var seen = new List<MatchView>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await service.ListAsync(new MatchQuery(Max: 3, Continuation: continuation, Until: until, Filter: new MatchFilter("Iran", "Russia")), Ct);
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null && pages < 20);

        // 0..27 step 3 in default (10), 42..57 step 3 in sanctions (6): listed before "until" and naming Iran.
        var expected = Enumerable.Range(0, 30).Where(i => i % 3 == 0).Concat(Enumerable.Range(40, 20).Where(i => i % 3 == 0)).Select(i => $"Story {i}").ToHashSet();
        Assert.Equal(expected.Count, seen.Count);
        Assert.Equal(expected, seen.Select(m => m.Title).ToHashSet());
        Assert.Equal(seen.OrderByDescending(m => m.PublishedAt), seen);
        Assert.All(seen, m => Assert.Contains("Iran", m.Entities));
    }

    [Fact]
    public async Task FirstPageAndDigestRead_2500StoredMatches_OneQueryEach()
    {
        var counter = new StorageRequestCounter();
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null), configure: counter.Install);
        var store = services.GetRequiredService<MatchStore>();
        await store.StoreAsync([Match("default", 0, DateTimeOffset.UtcNow)], Ct); // creates the table and the registry
        // 2,500 more straight into the table, time-ordered copies included (StoreAsync would take a while for this many).
        var table = new TableClient(azurite.ConnectionString, Tables.Matches);
        var now = DateTimeOffset.UtcNow;
        foreach (var chunk in Enumerable.Range(1, 2500).Chunk(33))
        {
            await table.SubmitTransactionAsync(chunk.SelectMany(i =>
            {
                var m = Match("default", i, now.AddSeconds(-i));
                m.MatchedAt = now.AddSeconds(-i);
                m.StoryKey = m.RowKey;
                return new[]
                {
                    new TableTransactionAction(TableTransactionActionType.Add, m),
                    new TableTransactionAction(TableTransactionActionType.Add, m.CopyAs(MatchStore.NewestKey(m.ListedAt, m.RowKey))),
                    new TableTransactionAction(TableTransactionActionType.Add, m.CopyAs(MatchStore.OldestKey(m.MatchedAt, m.RowKey))),
                };
            }), Ct);
        }

        await store.ListWatchlistsAsync(Ct); // the one-time check for rows without copies (a scan, once per store) is not what is measured
        var before = counter.Count("/Matches()");
        var page = await services.GetRequiredService<MatchService>().ListAsync(new MatchQuery("default", Max: 50), Ct);
        var afterPage = counter.Count("/Matches()");
        var oldest = await store.ListOldestAsync("default", now.AddDays(-1), now, 50, Ct);
        var afterDigestRead = counter.Count("/Matches()");

        Assert.Equal(50, page.Items.Count);
        Assert.NotNull(page.Continuation);
        Assert.Equal(1, afterPage - before); // a whole-partition read would take three pages of 1,000 rows
        Assert.Equal(50, oldest.Count);
        Assert.Equal("Story 2500", oldest[0].Title);
        Assert.Equal(1, afterDigestRead - afterPage);
    }

    [Fact]
    public async Task List_MatchesStoredBeforeTimeOrderedCopies_IndexedOnceAndListed()
    {
        // A story row as the previous version wrote it: no copies, no registry.
        var table = new TableClient(azurite.ConnectionString, Tables.Matches);
        await table.CreateIfNotExistsAsync(Ct);
        var old = Match("default", 42, DateTimeOffset.UtcNow.AddHours(-3));
        old.MatchedAt = DateTimeOffset.UtcNow.AddHours(-2);
        await table.AddEntityAsync(old, Ct);
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));

        var page = await services.GetRequiredService<MatchService>().ListAsync(new MatchQuery(), Ct);
        var digestRead = await services.GetRequiredService<MatchStore>().ListOldestAsync("default", null, DateTimeOffset.UtcNow, 10, Ct);

        Assert.Equal("Story 42", Assert.Single(page.Items).Title);
        Assert.Equal($"{42:x32}", page.Items[0].Id);
        Assert.Equal("Story 42", Assert.Single(digestRead).Title);
    }
}
