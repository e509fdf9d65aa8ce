namespace Alerts.IntegrationTests.Cli;

[Collection(CliStorage.Name)]
public sealed class DigestCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task DigestNow_NoSendGridKey_SaysWhichEmlFileEachDigestWentTo()
    {
        await using var server = await FeedServer.StartAsync();
        var outbox = Path.Combine(Path.GetTempPath(), "alerts-cli-outbox-" + Guid.NewGuid().ToString("N"));
        var settings = TestServices.Settings(azurite.ConnectionString, null, outbox);
        await CliStorage.RunAsync(settings, "feeds", "add", server.Serve("/d.xml", "application/rss+xml", TestFeeds.Rss(TestFeeds.Seeds(), "https://d.test")));
        await CliStorage.RunAsync(settings, "poll");
        await CliStorage.RunAsync(settings, "subscribers", "add", "reader@example.com");

        var digest = await CliStorage.RunAsync(settings, "digest", "--now");

        var sent = Assert.Single(CliStorage.Lines(digest.Out), l => l.StartsWith("sent  ", StringComparison.Ordinal));
        var eml = Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        Assert.Equal(0, digest.Code);
        Assert.Equal($"sent  reader@example.com  5 stories  written to {eml}", sent);
        Assert.Contains("1 digest(s) sent", digest.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_NothingDue_SaysSoExit0()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        await CliStorage.RunAsync(settings, "subscribers", "add", "reader@example.com");

        var digest = await CliStorage.RunAsync(settings, "digest");

        Assert.Equal(0, digest.Code);
        Assert.Equal("0 digest(s) sent, 1 with nothing due, 0 failed (1 subscriber(s))", digest.Out.Trim());
    }
}
