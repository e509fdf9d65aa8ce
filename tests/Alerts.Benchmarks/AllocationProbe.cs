using Alerts.Core;
using Alerts.Core.Feeds;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Alerts.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Benchmarks;

/// <summary>
/// Where a new item's allocations go: each step of the poll pipeline for 200 feeds of 20 new items,
/// measured on its own (<c>GC.GetTotalAllocatedBytes</c> around it, nothing else running).
/// <c>dotnet run -c Release --project tests/Alerts.Benchmarks -- probe</c>
/// </summary>
internal static class AllocationProbe
{
    public static async Task RunAsync()
    {
        const int feedCount = 200;
        await using var azurite = await Azurite.StartAsync(0, null, CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Alerts:Storage:ConnectionString"] = azurite.ConnectionString }).Build();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddAlerts(configuration).BuildServiceProvider();
        var bench = new BenchFeeds(20);
        var bodies = Enumerable.Range(0, feedCount).Select(n => bench.Build(n, 1)).ToList();
        var matcher = WatchlistStore.Default;
        var recent = services.GetRequiredService<RecentItemStore>();
        var seen = services.GetRequiredService<SeenItemStore>();
        var matches = services.GetRequiredService<MatchStore>();
        await recent.AddAsync("warm", [], DateTimeOffset.UtcNow, CancellationToken.None);
        await seen.MarkSeenAsync("warm", ["warm"], DateTimeOffset.UtcNow, CancellationToken.None);

        var items = 0;
        var bytes = bodies.Sum(b => (long)b.Length);
        var parsed = Measure("parse (FeedReader)", () => bodies.Select(b => FeedParser.Parse(b, "application/rss+xml")).ToList());
        var normalized = Measure("normalise", () => parsed.Select((p, n) => p.Items.Select(i => ItemNormalizer.Normalize(i, $"https://feed.test/{n}", p.Language)).ToList()).ToList());
        items = normalized.Sum(n => n.Count);
        var found = Measure("match", () => normalized.SelectMany(list => list.Select(i => (Item: i, Result: matcher.Match(new MatchInput(i.Title, i.Summary, i.Content))))).Where(x => x.Result.Matched).ToList());
        var now = DateTimeOffset.UtcNow;
        await MeasureAsync("recent items written", async () =>
        {
            var n = 0;
            foreach (var list in normalized)
            {
                await recent.AddAsync($"feed-{n++}", list, now, CancellationToken.None);
            }
        });
        await MeasureAsync("seen keys written", async () =>
        {
            var n = 0;
            foreach (var list in normalized)
            {
                await seen.MarkSeenAsync($"feed-{n++}", list.SelectMany(i => i.LinkKey is null ? [i.Key] : new[] { i.Key, i.LinkKey }), now, CancellationToken.None);
            }
        });
        await MeasureAsync("seen keys read", async () =>
        {
            for (var n = 0; n < feedCount; n++)
            {
                await seen.GetSeenAsync($"feed-{n}", CancellationToken.None);
            }
        });
        await MeasureAsync("matches stored", () => matches.StoreAsync([.. found.Select(f => MatchEntity.From(f.Item, f.Result, now))], CancellationToken.None));
        Console.WriteLine($"{feedCount} feeds, {items} items, {bytes / 1024} KiB of feed bytes ({bytes / items} B an item)");

        T Measure<T>(string step, Func<T> run)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var result = run();
            Report(step, GC.GetTotalAllocatedBytes(precise: true) - before);
            return result;
        }

        async Task MeasureAsync(string step, Func<Task> run)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await run();
            Report(step, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        void Report(string step, long allocated) =>
            Console.WriteLine($"{step,-36} {allocated / 1024.0 / 1024.0,10:0.0} MiB  {allocated / (double)(feedCount * 20) / 1024.0,8:0.0} KiB an item");
    }
}
