using System.Diagnostics;
using System.Globalization;
using Alerts.Core.Storage;
using Alerts.Local;
using Azure.Data.Tables;

namespace Alerts.Benchmarks;

/// <summary>
/// <c>GET /api/matches</c> first-page latency over HTTP against <c>alerts serve</c> (Kestrel, Azurite behind it)
/// with 10 and with 200,000 stored matches: the page reads its rows by key range, so it should not grow.
/// <code>dotnet run -c Release --project tests/Alerts.Benchmarks -- matches [--counts 10,200000]</code>
/// </summary>
internal static class MatchesLatency
{
    public static async Task RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--counts");
        var counts = (i >= 0 && i + 1 < args.Length ? args[i + 1] : "10,200000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        Console.WriteLine("| stored matches | first page (max=50) over HTTP, p50 | p90 | the same key-range query straight to Azurite, p50 | a point read of one row in Azurite, p50 |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var count in counts)
        {
            await MeasureAsync(count);
        }
    }

    private static async Task MeasureAsync(int count)
    {
        await using var azurite = await Azurite.StartAsync(0, null, CancellationToken.None);
        var inserted = Stopwatch.StartNew();
        await InsertAsync(azurite.ConnectionString, count);
        inserted.Stop();
        await using var serve = await BenchServe.StartAsync(azurite.ConnectionString);
        var client = serve.Client;

        // Warm-up (JIT, connections, and the one-time check for matches without time-ordered copies), then 100 timed first pages.
        for (var w = 0; w < 10; w++)
        {
            (await client.GetAsync("/api/matches?max=50")).EnsureSuccessStatusCode();
        }

        var times = new List<double>();
        for (var r = 0; r < 100; r++)
        {
            var watch = Stopwatch.StartNew();
            (await client.GetAsync("/api/matches?max=50")).EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();

        // What the emulator itself costs: the page's own query (one key range of one partition, 51 rows) and a
        // point read, without the service. Azure Table Storage answers both from its index; Azurite's in-memory
        // store scans the table, so its time grows with the rows stored whatever the query.
        var table = new TableClient(azurite.ConnectionString, Tables.Matches);
        var query = TableClient.CreateQueryFilter($"PartitionKey eq {"default"} and RowKey ge {"n-"} and RowKey lt {"n."}");
        var raw = new List<double>();
        var point = new List<double>();
        for (var r = 0; r < 20; r++)
        {
            var watch = Stopwatch.StartNew();
            await foreach (var page in table.QueryAsync<TableEntity>(query, maxPerPage: 51).AsPages())
            {
                break;
            }

            raw.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await table.GetEntityAsync<TableEntity>("default", $"{r % count:x32}");
            point.Add(watch.Elapsed.TotalMilliseconds);
        }

        raw.Sort();
        point.Sort();
        Console.WriteLine(FormattableString.Invariant($"| {count:N0} (inserted in {inserted.Elapsed.TotalSeconds:0} s) | {times[50]:0.0} ms | {times[90]:0.0} ms | {raw[10]:0.0} ms | {point[10]:0.0} ms |"));
    }

    /// <summary>Matches as <see cref="MatchStore"/> writes them (story row and its two time-ordered copies), a transaction of 33 stories at a time.</summary>
    private static async Task InsertAsync(string connectionString, int count)
    {
        var table = new TableClient(connectionString, Tables.Matches);
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("~", "default"));
        await table.AddEntityAsync(new TableEntity("~", "~indexed-v1"));
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, count).Chunk(33), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
            await table.SubmitTransactionAsync(chunk.SelectMany(n =>
            {
                var m = new MatchEntity
                {
                    PartitionKey = "default",
                    RowKey = $"{n:x32}",
                    StoryKey = $"{n:x32}",
                    Title = $"Russia ships refined oil to North Korea, report {n}",
                    Sources = "https://feed.test/rss.xml",
                    MatchedAt = now.AddSeconds(-n),
                    PublishedAt = now.AddSeconds(-n - 60),
                    Score = 4,
                    Entities = "North Korea, Russia",
                    Topics = "oil",
                };
                return new[]
                {
                    new TableTransactionAction(TableTransactionActionType.Add, m),
                    new TableTransactionAction(TableTransactionActionType.Add, m.CopyAs(MatchStore.NewestKey(m.ListedAt, m.RowKey))),
                    new TableTransactionAction(TableTransactionActionType.Add, m.CopyAs(MatchStore.OldestKey(m.MatchedAt, m.RowKey))),
                };
            }), ct));
    }
}
