using Alerts.Core.Matching;
using Alerts.Core.Watchlists;
using Microsoft.Extensions.DependencyInjection;

namespace Alerts.IntegrationTests.Cli;

/// <summary><c>alerts watchlists</c>: the same rules as <c>PUT /api/watchlists</c> (checked, audited), files people can edit.</summary>
[Collection(CliStorage.Name)]
public sealed class WatchlistsCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Grain = """
        {"name":"grain","entities":[{"name":"Ukraine","aliases":["Ukraine","Kyiv"]},{"name":"Egypt","aliases":["Egypt","Cairo"]}],
         "topics":[{"name":"grain","aliases":["wheat","grain"]}],"links":["ships","buys"],"rule":{"minEntityGroups":2,"minTopicGroups":1,"minScore":3}}
        """;

    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task WatchlistsImport_Draft_UsedByCheckAndPoll()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/grain.xml", "application/rss+xml", TestFeeds.Rss([("Kyiv ships wheat to Cairo", "Egypt buys grain from Ukraine.")], "https://grain.test"));
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        var file = await WriteAsync(Grain);

        var import = await CliStorage.RunAsync(settings, "watchlists", "import", file);
        var list = await CliStorage.RunAsync(settings, "watchlists", "list");
        var check = await CliStorage.RunAsync(settings, "check", "--text", "Kyiv ships wheat to Cairo", "--watchlist", "grain", "--json");
        await CliStorage.RunAsync(settings, "feeds", "add", url);
        var poll = await CliStorage.RunAsync(settings, "poll");
        var matches = await CliStorage.RunAsync(settings, "matches", "--watchlist", "grain", "--json");
        var export = await CliStorage.RunAsync(settings, "watchlists", "export", "grain");

        Assert.Equal(0, import.Code);
        Assert.Contains("grain", list.Out, StringComparison.Ordinal);
        Assert.Contains("default", list.Out, StringComparison.Ordinal);
        Assert.Contains("\"matched\":true", check.Out, StringComparison.Ordinal);
        Assert.Contains("1 new match(es)", poll.Out, StringComparison.Ordinal);
        Assert.Contains("Kyiv ships wheat to Cairo", matches.Out, StringComparison.Ordinal);
        Assert.Equal("grain", WatchlistJson.Parse(export.Out).Name);
    }

    [Fact]
    public async Task WatchlistsImport_InvalidFile_OneLineNamingTheField()
    {
        var file = await WriteAsync("""{"name":"x","entities":[{"name":"a","aliases":[]}]}""");

        var result = await CliStorage.RunAsync(TestServices.Settings(azurite.ConnectionString, null), "watchlists", "import", file);

        Assert.Equal(2, result.Code);
        Assert.Equal("alerts: invalid watchlist: entities[0].aliases: at least one alias is required", result.Err.TrimEnd());
    }

    [Fact]
    public async Task WatchlistsImport_CreateThenReplace_EachInTheAuditWithWho()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        var file = await WriteAsync(Grain);

        var first = await CliStorage.RunAsync(settings, "watchlists", "import", file);
        var second = await CliStorage.RunAsync(settings, "watchlists", "import", file);
        var history = await CliStorage.RunAsync(settings, "watchlists", "history", "grain");
        await using var services = TestServices.Build(settings);
        var audit = await services.GetRequiredService<WatchlistService>().HistoryAsync("grain", 10, TestContext.Current.CancellationToken);

        Assert.Equal("imported watchlist 'grain' (new)", first.Out.Trim());
        Assert.Equal("imported watchlist 'grain' (replaced the version in force)", second.Out.Trim());
        Assert.Equal(["update", "create"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.EndsWith("(cli)", a.Who, StringComparison.Ordinal));
        Assert.Null(audit[1].Before);
        Assert.Contains("\"wheat\"", audit[0].After, StringComparison.Ordinal);
        Assert.Equal(2, CliStorage.Lines(history.Out).Length);
    }

    [Fact]
    public async Task WatchlistsExport_PersianKoreanRussianAliases_WrittenAsIsAndImportedBack()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        var file = await WriteAsync("""
            {"name":"scripts","entities":[{"name":"Iran","aliases":["ایران","تهران"]},{"name":"North Korea","aliases":["북한","평양"]},{"name":"Russia","aliases":["росси*","москв*"]}],
             "topics":[{"name":"oil","aliases":["нефть","석유","نفت","C++ grade fuel"]}]}
            """);
        await CliStorage.RunAsync(settings, "watchlists", "import", file);

        var export = await CliStorage.RunAsync(settings, "watchlists", "export", "scripts");
        var again = await CliStorage.RunAsync(settings, "watchlists", "import", await WriteAsync(export.Out));

        Assert.Equal(0, export.Code);
        foreach (var alias in new[] { "\"ایران\"", "\"북한\"", "\"москв*\"", "\"석유\"", "\"C++ grade fuel\"" })
        {
            Assert.Contains(alias, export.Out, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\\u", export.Out, StringComparison.Ordinal);
        Assert.Equal(0, again.Code);
    }

    private static async Task<string> WriteAsync(string json)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        return file;
    }
}
