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
    public async Task Run_CheckTextStartingWithAt_IsTextNotAResponseFile()
    {
        var (code, output, err) = await CliRun.RunAsync(["check", "--text", "@Pyongyang: Russia delivers refined oil to North Korea", "--json"]);

        Assert.Equal(0, code);
        Assert.Contains("\"matched\":true", output, StringComparison.Ordinal);
        Assert.Empty(err);
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
    public async Task Run_CheckFeedFile_OneJsonLinePerItemWithItsResult()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """
            <?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://feed.test</link><description>d</description>
            <item><title>Iran sends drones to Russia</title><link>https://feed.test/1</link><guid>1</guid><description>Tehran ships Shahed drones to Moscow.</description></item>
            <item><title>Local weather</title><link>https://feed.test/2</link><guid>2</guid><description>Rain.</description></item>
            </channel></rss>
            """, TestContext.Current.CancellationToken);

        var (code, output, _) = await CliRun.RunAsync(["check", "--feed", file, "--json"]);

        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(0, code);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"link\":\"https://feed.test/1\",\"result\":{", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"matched\":true", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"matched\":false", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CheckFeedFileNotAFeed_OneLineExit2()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "just some words", TestContext.Current.CancellationToken);

        var (code, _, err) = await CliRun.RunAsync(["check", "--feed", file]);

        Assert.Equal(2, code);
        Assert.StartsWith($"alerts: {file}: not", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Run_BadConfiguration_OneLineAndExit2()
    {
        var (code, _, err) = await CliRun.RunAsync(["check", "--text", "x"], new Dictionary<string, string?> { ["Alerts:Schedules:Poll"] = "every so often" });

        Assert.Equal(2, code);
        Assert.Contains("Alerts:Schedules:Poll", err, StringComparison.Ordinal);
    }
}
