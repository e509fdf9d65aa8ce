using Alerts.Local;

namespace Alerts.IntegrationTests.Cli;

/// <summary>Storage that cannot be reached is the work failing: one line on stderr, exit 1.</summary>
[Collection(CliStorage.Name)]
public sealed class StorageUnreachableTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Commands_StorageUnreachable_OneLineExit1()
    {
        var port = LocalTools.FreePort();
        var settings = TestServices.Settings(azurite.ConnectionString.Replace($":{azurite.ConnectionString.Split("127.0.0.1:")[1].Split('/')[0]}/", $":{port}/", StringComparison.Ordinal), null);

        foreach (var args in new[] { new[] { "feeds", "list" }, ["poll", "--once"], ["matches"], ["subscribers", "list"] })
        {
            var result = await CliStorage.RunAsync(settings, args);

            Assert.Equal(1, result.Code);
            Assert.Single(result.Err.TrimEnd().Split('\n'));
            Assert.Contains("unreachable", result.Err, StringComparison.Ordinal);
        }
    }
}
