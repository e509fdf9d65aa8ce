using System.Text.Json;

namespace Alerts.IntegrationTests.Cli;

[Collection(CliStorage.Name)]
public sealed class SubscribersCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await azurite.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task SubscribersAdd_UnknownWatchlist_Exit2()
    {
        var result = await CliStorage.RunAsync(TestServices.Settings(azurite.ConnectionString, null), "subscribers", "add", "a@example.com", "--watchlist", "nope");

        Assert.Equal(2, result.Code);
        Assert.Contains("no watchlist named 'nope'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribersList_Json_OneSubscriberALine()
    {
        var settings = TestServices.Settings(azurite.ConnectionString, null);
        await CliStorage.RunAsync(settings, "subscribers", "add", "a@example.com", "--name", "Ana María", "--cadence", "immediate");
        await CliStorage.RunAsync(settings, "subscribers", "add", "b@example.com", "--timezone", "Asia/Seoul");

        var list = await CliStorage.RunAsync(settings, "subscribers", "list", "--json");

        var lines = CliStorage.Lines(list.Out).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(0, list.Code);
        Assert.Equal(["a@example.com", "b@example.com"], lines.Select(l => l.GetProperty("email").GetString()).Order());
        Assert.Contains("\"name\":\"Ana María\"", list.Out, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.GetProperty("timeZone").GetString() == "Asia/Seoul");
    }
}
