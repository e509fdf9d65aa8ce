using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Alerts.IntegrationTests.Cli;

/// <summary><c>alerts poll</c>: one line per feed, a summary, the exit code a script can act on.</summary>
[Collection(CliStorage.Name)]
public sealed partial class PollCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task PollOnceThenMatches_LoopbackFeed_ShowsSeedMatchesAsJson()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/cli.xml", "application/rss+xml", TestFeeds.Rss([.. TestFeeds.Seeds(), .. TestFeeds.Unrelated], "https://cli.test"));
        var settings = TestServices.Settings(azurite.ConnectionString, null);

        var add = await CliStorage.RunAsync(settings, "feeds", "add", url);
        var poll = await CliStorage.RunAsync(settings, "poll", "--once");
        var matches = await CliStorage.RunAsync(settings, "matches", "--json");
        var list = await CliStorage.RunAsync(settings, "feeds", "list");

        Assert.Equal(0, add.Code);
        Assert.Equal(0, poll.Code);
        Assert.Contains("5 new match(es)", poll.Out, StringComparison.Ordinal);
        Assert.Equal(0, matches.Code);
        var lines = CliStorage.Lines(matches.Out);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"watchlist\":\"default\"", l, StringComparison.Ordinal));
        Assert.Contains("ok, 11 items", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_SomeFeedsFail_OneLinePerFeedThenTheSummaryExit0()
    {
        await using var server = await FeedServer.StartAsync();
        var good = server.Serve("/good.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://good.test"));
        var broken = server.Handle("/broken.xml", context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        await CliStorage.RunAsync(settings, "feeds", "add", good);
        await CliStorage.RunAsync(settings, "feeds", "add", broken);

        var poll = await CliStorage.RunAsync(settings, "poll");

        var lines = CliStorage.Lines(poll.Out);
        Assert.Equal(0, poll.Code);
        Assert.Equal(3, lines.Length);
        Assert.Single(lines, l => l.StartsWith($"ok    {good}  ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith($"FAIL  {broken}  ", StringComparison.Ordinal));
        Assert.StartsWith("2 feed(s) polled, 1 failed, 0 skipped while backing off;", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_EveryFeedFails_Exit1()
    {
        await using var server = await FeedServer.StartAsync();
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        foreach (var path in new[] { "/a.xml", "/b.xml" })
        {
            await CliStorage.RunAsync(settings, "feeds", "add", server.Serve(path, "text/html", "<html>not a feed</html>"u8.ToArray()));
        }

        var poll = await CliStorage.RunAsync(settings, "poll");

        Assert.Equal(1, poll.Code);
        Assert.Equal(2, CliStorage.Lines(poll.Out).Count(l => l.StartsWith("FAIL  ", StringComparison.Ordinal)));
        Assert.Contains("2 feed(s) polled, 2 failed", poll.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_FeedBackingOff_CountedAsSkipped()
    {
        await using var server = await FeedServer.StartAsync();
        var broken = server.Handle("/down.xml", context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        await CliStorage.RunAsync(settings, "feeds", "add", broken);

        // The first failure may be a blip (retried next cycle); after the second the feed backs off.
        await CliStorage.RunAsync(settings, "poll");
        await CliStorage.RunAsync(settings, "poll");
        var third = await CliStorage.RunAsync(settings, "poll");

        Assert.Equal(0, third.Code); // nothing polled, so nothing failed
        Assert.StartsWith("0 feed(s) polled, 0 failed, 1 skipped while backing off;", third.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_AsAProcess_StdoutIsOneLinePerFeedAndTheSummary_FailureSaidOnce()
    {
        await using var server = await FeedServer.StartAsync();
        var good = server.Serve("/p-good.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://p-good.test"));
        var broken = server.Serve("/p-broken.xml", "text/html", "<html>gone</html>"u8.ToArray());
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        await CliStorage.RunAsync(settings, "feeds", "add", good);
        await CliStorage.RunAsync(settings, "feeds", "add", broken);

        // A real process with stdout redirected, as a script or cron sees it: where do the logs go?
        var (code, stdout, stderr) = await RunAlertsProcessAsync(settings, "poll");

        var lines = CliStorage.Lines(stdout);
        Assert.Equal(0, code);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(FeedOrSummaryLine(), l));
        Assert.Single(lines, l => l.Contains(broken, StringComparison.Ordinal));
        Assert.DoesNotContain(broken, stderr, StringComparison.Ordinal); // not a second time as a log line
    }

    [GeneratedRegex(@"^(ok    |FAIL  )http://127\.0\.0\.1:\d+/p-(good|broken)\.xml  |^\d+ feed\(s\) polled, ")]
    private static partial Regex FeedOrSummaryLine();

    /// <summary>Runs the built <c>alerts</c> (copied beside the tests) with the settings as environment variables.</summary>
    private static async Task<(int Code, string Out, string Err)> RunAlertsProcessAsync(Dictionary<string, string?> settings, params string[] args)
    {
        using var process = Process.Start(AlertsProcess.StartInfo(settings, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
