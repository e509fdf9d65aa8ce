using System.Diagnostics;
using System.Security;
using System.Text;
using Alerts.Core;
using Alerts.Local;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerts.Benchmarks;

/// <summary>
/// One poll cycle over 500 feeds served from loopback, against Azurite: the first cycle (every item new:
/// fetch, parse, match, store) is the baseline; the second has every feed answer 304 Not Modified.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PollBenchmarks
{
    private const int FeedCount = 500;
    private const int ItemsPerFeed = 20;

    private Azurite _azurite = null!;
    private WebApplication _server = null!;
    private ServiceProvider _services = null!;
    private List<string> _urls = [];

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _azurite = await Azurite.StartAsync(0, null, CancellationToken.None);
        var feeds = BuildFeeds();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/feed/{n:int}.xml", (int n, HttpContext context) =>
        {
            var etag = $"\"v1-{n}\"";
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                return Results.StatusCode(304);
            }

            context.Response.Headers.ETag = etag;
            return Results.Bytes(feeds[n], "application/rss+xml");
        });
        await _server.StartAsync();
        var baseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _urls = [.. Enumerable.Range(0, FeedCount).Select(n => $"{baseUrl}/feed/{n}.xml")];

        _services = BuildServices();
    }

    private ServiceProvider BuildServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerts:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Alerts:Fetch:AllowPrivateNetworks"] = "true",
            ["Alerts:Fetch:Concurrency"] = "32",
            // All 500 feeds share one loopback host here; in production they spread over many hosts.
            ["Alerts:Fetch:PerHostConcurrency"] = "32",
            // The items link to news.test, which does not resolve: a second look at near misses would time
            // the resolver's failures and the fetch retry, not the pipeline (ArticleSecondLookTests cover it).
            ["Alerts:Matching:FetchArticles"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddAlerts(configuration);
        return services.BuildServiceProvider();
    }

    [IterationSetup(Target = nameof(FirstCycle))]
    public void FreshStorage() => ResetAsync(pollOnce: false).GetAwaiter().GetResult();

    [IterationSetup(Target = nameof(NotModifiedCycle))]
    public void PolledOnce() => ResetAsync(pollOnce: true).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "500 feeds, first cycle (all items new)")]
    public PollSummary FirstCycle() => _services.GetRequiredService<PollService>().RunOnceAsync(null, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark(Description = "500 feeds, second cycle (all 304)")]
    public PollSummary NotModifiedCycle() => _services.GetRequiredService<PollService>().RunOnceAsync(null, CancellationToken.None).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        // The benchmark process's peak memory: Kestrel serving the feeds, the poller, and BenchmarkDotNet itself.
        Console.WriteLine($"// PeakWorkingSet: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
        _services.Dispose();
        _server.StopAsync().GetAwaiter().GetResult();
        _azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task ResetAsync(bool pollOnce)
    {
        var tables = new TableServiceClient(_azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await tables.DeleteTableAsync(table.Name);
        }

        // A fresh container: TableStorage caches which tables exist.
        _services.Dispose();
        _services = BuildServices();

        var store = _services.GetRequiredService<FeedStore>();
        await Parallel.ForEachAsync(_urls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (url, ct) => await store.AddAsync(url, ct));
        if (pollOnce)
        {
            await _services.GetRequiredService<PollService>().RunOnceAsync(null, CancellationToken.None);
        }
    }

    /// <summary>500 RSS feeds of 20 news-like items each (about 30 KB per feed), a few of them matches.</summary>
    private static byte[][] BuildFeeds()
    {
        var seeds = Texts.Load("seeds");
        var news = Texts.Load("feeds");
        var random = new Random(7);
        var feeds = new byte[FeedCount][];
        for (var n = 0; n < FeedCount; n++)
        {
            var sb = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench</title>""");
            for (var i = 0; i < ItemsPerFeed; i++)
            {
                var text = random.Next(50) == 0 ? seeds[random.Next(seeds.Length)] : news[random.Next(news.Length)];
                var title = text.Split('\n')[0];
                sb.Append("<item><title>").Append(SecurityElement.Escape(title.Length > 120 ? title[..120] : title)).Append("</title>")
                  .Append("<link>https://news.test/").Append(n).Append('/').Append(i).Append("</link>")
                  .Append("<guid>bench-").Append(n).Append('-').Append(i).Append("</guid>")
                  .Append("<description>").Append(SecurityElement.Escape(text.Length > 1500 ? text[..1500] : text)).Append("</description></item>");
            }

            feeds[n] = Encoding.UTF8.GetBytes(sb.Append("</channel></rss>").ToString());
        }

        return feeds;
    }
}
