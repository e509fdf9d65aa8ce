namespace Alerts.UnitTests.Cli;

/// <summary><c>alerts check</c> needs no storage for the default watchlist, so it runs here.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Run_CheckText_PrintsMatchAndWhy()
    {
        var (code, output, _) = await CliRun.RunAsync(["check", "--text", "Russia delivers refined oil to North Korea", "--json"]);

        Assert.Equal(0, code);
        Assert.Contains("\"matched\":true", output, StringComparison.Ordinal);
        Assert.Contains("\"group\":\"North Korea\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CheckTextJson_NonAsciiWrittenAsIs()
    {
        // Persian: "Iran sends drones to Russia"; the hits name the Persian terms.
        var (code, output, _) = await CliRun.RunAsync(["check", "--text", "ایران پهپاد به روسیه می‌فرستد", "--json"]);

        Assert.Equal(0, code);
        Assert.Contains("\"term\":\"ایران", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CheckInputLines_OneResultPerLineInOrder()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, [
            """{"id":"a","title":"Iran sells drones to Russia"}""",
            """{"id":"b","title":"Local weather","summary":"rain"}""",
            """{"id":3,"text":"Pyongyang buys Russian oil"}""",
        ], TestContext.Current.CancellationToken);

        var (code, output, _) = await CliRun.RunAsync(["check", "--input", file]);

        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(0, code);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("""{"id":"a","matched":true""", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"b","matched":false""", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"3","matched":true""", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadConfiguration_OneLineAndExit2()
    {
        var (code, _, err) = await CliRun.RunAsync(["check", "--text", "x"], new Dictionary<string, string?> { ["Alerts:Schedules:Poll"] = "every so often" });

        Assert.Equal(2, code);
        Assert.Contains("Alerts:Schedules:Poll", err, StringComparison.Ordinal);
    }
}
