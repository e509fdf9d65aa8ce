using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Alerts.Cli;
using Alerts.Core.Feeds;
using Alerts.Local;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Storage;

/// <summary>
/// The fault findings of issue #10, with real faults: Azurite stopped and started again on the same
/// port and data folder while the CLI or <c>alerts serve</c> works against it.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "alerts-azurite-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = LocalTools.FreePort();
    private readonly int _queuePort = LocalTools.FreePort();
    private Azurite? _azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _azurite = await Azurite.StartAsync(_port, _queuePort, _data, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Storage => _azurite!.ConnectionString;

    private async Task StopStorageAsync()
    {
        await _azurite!.DisposeAsync();
        _azurite = null;
    }

    private async Task StartStorageAsync() => _azurite = await Azurite.StartAsync(_port, _queuePort, _data, Ct);

    [Fact]
    public async Task Azurite_StoppedAndStartedAgain_KeepsEveryAcknowledgedWrite()
    {
        for (var round = 1; round <= 3; round++)
        {
            await using (var services = TestServices.Build(TestServices.Settings(Storage, null)))
            {
                var subscribers = services.GetRequiredService<SubscriberStore>();
                var matches = services.GetRequiredService<MatchStore>();
                for (var i = 0; i < 10; i++)
                {
                    await subscribers.UpsertAsync($"r{round}-{i}@example.com", null, ["default"], "daily", confirmed: true, Ct);
                }

                var item = ItemNormalizer.Normalize(new RawItem($"g{round}", $"Story {round}", $"https://news.test/{round}", "Russia ships diesel to North Korea.", null, null), "https://feed.test/", "en");
                var result = WatchlistStore.Default.Match(new Alerts.Core.Matching.MatchInput(item.Title, item.Summary, null));
                await matches.StoreAsync([MatchEntity.From(item, result, DateTimeOffset.UtcNow)], Ct);
            }

            // Straight after the writes, as `alerts serve` does on Ctrl+C or SIGTERM.
            await StopStorageAsync();
            await StartStorageAsync();

            await using var after = TestServices.Build(TestServices.Settings(Storage, null));
            Assert.Equal(10 * round, (await after.GetRequiredService<SubscriberStore>().ListAsync(Ct)).Count);
            Assert.Equal(round, (await after.GetRequiredService<MatchStore>().ListAsync("default", null, 100, Ct)).Count);
        }
    }

    [Fact]
    public async Task Poll_StorageStopsMidPoll_OneLineExit1()
    {
        for (var trial = 0; trial < 3; trial++)
        {
            await using var server = await FeedServer.StartAsync();
            var settings = TestServices.Settings(Storage, null);
            settings["Alerts:Fetch:Concurrency"] = "8";
            settings["Alerts:Fetch:PerHostConcurrency"] = "8"; // every feed is on one loopback host: all eight in flight at once
            var stopped = new TaskCompletionSource();
            var feeds = Enumerable.Range(0, 8).Select(i => server.Handle($"/t{trial}-f{i}.xml", async context =>
            {
                if (i >= 4)
                {
                    // The first four feeds are stored meanwhile (every table in use), then storage goes away
                    // while the other four are in flight.
                    await Task.Delay(TimeSpan.FromMilliseconds(1500 + (trial * 200)));
                    if (i == 4)
                    {
                        await StopStorageAsync();
                        stopped.TrySetResult();
                    }

                    await stopped.Task;
                }

                context.Response.ContentType = "application/rss+xml";
                await context.Response.Body.WriteAsync(TestFeeds.Rss([.. TestFeeds.Seeds(), .. TestFeeds.Unrelated], $"https://t{trial}-f{i}.test"));
            })).ToList();
            foreach (var feed in feeds)
            {
                Assert.Equal(0, (await Cli(settings, "feeds", "add", feed)).Code);
            }

            var poll = await Cli(settings, "poll", "--once");

            Assert.Equal(1, poll.Code);
            Assert.Single(poll.Err.TrimEnd().Split('\n'));
            Assert.StartsWith("alerts: storage at http://127.0.0.1:", poll.Err, StringComparison.Ordinal);
            Assert.Contains("is unreachable", poll.Err, StringComparison.Ordinal);
            await StartStorageAsync();
        }
    }

    [Fact]
    public async Task Serve_StorageDownThenBack_503WhileDownAndTheTimerGoesOn()
    {
        await using var server = await FeedServer.StartAsync();
        var feed = server.Serve("/serve.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Unrelated, "https://serve.test"));
        var settings = ServeHost.Settings(Storage);
        settings["Alerts:Schedules:Poll"] = "*/2 * * * * *";
        await using var serve = await ServeHost.StartAsync(settings);
        Assert.Equal(HttpStatusCode.Created, (await serve.Admin.PostAsJsonAsync("/api/feeds", new { url = feed }, Ct)).StatusCode);
        await WaitForPollAsync(serve, after: null);

        await StopStorageAsync();
        var health = await serve.Anonymous.GetAsync("/api/health", Ct);
        var feedsRoute = await serve.Admin.GetAsync("/api/feeds", Ct);
        var matchesRoute = await serve.Admin.GetAsync("/api/matches", Ct);
        await Task.Delay(TimeSpan.FromSeconds(5), Ct); // at least one poll fails meanwhile
        var back = DateTimeOffset.UtcNow;
        await StartStorageAsync();
        var nextPoll = await WaitForPollAsync(serve, after: back);

        foreach (var response in new[] { health, feedsRoute, matchesRoute })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter is not null);
        }

        Assert.True(nextPoll > back, "the poll timer ran again after storage came back");
        Assert.Equal(0, await serve.StopAsync());
    }

    /// <summary>Waits until health reports a poll that finished after <paramref name="after"/>; its time.</summary>
    private static async Task<DateTimeOffset> WaitForPollAsync(ServeHost serve, DateTimeOffset? after)
    {
        for (var i = 0; i < 300; i++)
        {
            var response = await serve.Anonymous.GetAsync("/api/health", Ct);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                if (body.TryGetProperty("lastPoll", out var last) && last.GetDateTimeOffset() is var at && (after is null || at > after))
                {
                    return at;
                }
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("no poll finished within 30 s");
    }

    private static async Task<(int Code, string Out, string Err)> Cli(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AlertsCli.RunAsync(args, stdout, stderr, Ct, settings);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
