using Alerts.Cli;
using Alerts.Local;
using Alerts.Core.Polling;
using Alerts.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Cli.Serve;

/// <summary>Stopping <c>alerts serve</c> in the middle of a poll: it stops promptly and leaves nothing half-done.</summary>
public sealed class ServeShutdownTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Stop_DuringPoll_StopsPromptlyAndTheNextPollCompletesTheWork()
    {
        var ct = TestContext.Current.CancellationToken;
        await azurite.ResetAsync();
        await using var server = await FeedServer.StartAsync();
        var requested = new TaskCompletionSource();
        var body = TestFeeds.Rss([TestFeeds.Seeds()[0]], "https://slow.test");
        var slowUrl = server.Handle("/slow.xml", async context =>
        {
            requested.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted); // still answering when serve stops
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        settings["Alerts:Schedules:Poll"] = "* * * * * *"; // every second
        settings["Alerts:Schedules:Digest"] = "0 0 0 1 1 *";
        settings["Alerts:Fetch:TimeoutSeconds"] = "60";
        await using (var setup = TestServices.Build(settings))
        {
            await setup.GetRequiredService<FeedStore>().AddAsync(slowUrl, ct);
        }

        using var stop = new CancellationTokenSource();
        var serve = Task.Run(() => AlertsCli.RunAsync(["serve", "--urls", $"http://127.0.0.1:{LocalTools.FreePort()}"], TextWriter.Null, TextWriter.Null, stop.Token, settings), ct);
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await stop.CancelAsync();
        var code = await serve.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(0, code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {watch.Elapsed}");
        await using var services = TestServices.Build(TestServices.Settings(azurite.ConnectionString, null));
        Assert.Empty(await services.GetRequiredService<MatchStore>().ListAsync("default", null, 10, ct)); // the abandoned poll stored nothing

        // The feed answers at once now: the next poll does the whole job, once.
        server.Serve("/fast.xml", "application/rss+xml", body);
        var feeds = services.GetRequiredService<FeedStore>();
        await feeds.RemoveAsync(slowUrl, ct);
        await feeds.AddAsync(server.BaseUrl + "/fast.xml", ct);
        var summary = await services.GetRequiredService<PollService>().RunOnceAsync(null, ct);

        Assert.Equal(1, summary.NewMatches);
        Assert.Single(await services.GetRequiredService<MatchStore>().ListAsync("default", null, 10, ct));
    }
}
