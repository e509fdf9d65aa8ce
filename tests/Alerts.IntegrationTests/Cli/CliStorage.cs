using Alerts.Cli;

namespace Alerts.IntegrationTests.Cli;

/// <summary>The CLI's storage tests share one Azurite (they run one after another, each from empty tables): one emulator, not one per class, on two cores.</summary>
[CollectionDefinition(Name)]
public sealed class CliStorage : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "CLI against Azurite";

    /// <summary>Runs <c>alerts</c> in this process with its output captured (redirected: plain lines, no live display).</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AlertsCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken, settings);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string[] Lines(string output) => output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
