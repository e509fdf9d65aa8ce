using Alerts.Cli;
using Alerts.Core.Digests;

namespace Alerts.UnitTests;

public sealed class CliTests
{
    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("check")]
    [InlineData("check --text")]
    [InlineData("check --text a --file b")]
    [InlineData("check --text a --nope")]
    [InlineData("check --file /no/such/file.txt")]
    [InlineData("check --text a --watchlist no-such-file.json --json")]
    [InlineData("poll extra")]
    [InlineData("feeds add file:///etc/passwd")]
    [InlineData("subscribers add not-an-email")]
    [InlineData("matches --since yesterday-ish")]
    [InlineData("serve --urls ftp://x")]
    public async Task Run_BadUsage_OneLineAndExit2(string commandLine)
    {
        var (code, _, err) = await RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), new Dictionary<string, string?> { ["Alerts:Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        Assert.Equal(2, code);
        Assert.StartsWith("alerts: ", err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.DoesNotContain(" at ", err);
    }

    [Fact]
    public async Task Run_Help_UsageOnStdoutExit0()
    {
        var (code, output, err) = await RunAsync(["--help"], null);

        Assert.Equal(0, code);
        Assert.Contains("check (--text T", output);
        Assert.Empty(err);
    }

    [Fact]
    public async Task Run_BadConfiguration_OneLineAndExit2()
    {
        var (code, _, err) = await RunAsync(["check", "--text", "x"], new Dictionary<string, string?> { ["Alerts:Schedules:Poll"] = "every so often" });

        Assert.Equal(2, code);
        Assert.Contains("Alerts:Schedules:Poll", err);
    }

    [Fact]
    public async Task Run_CheckText_PrintsMatchAndWhy()
    {
        var (code, output, _) = await RunAsync(["check", "--text", "Russia delivers refined oil to North Korea", "--json"], null);

        Assert.Equal(0, code);
        Assert.Contains("\"matched\":true", output);
        Assert.Contains("\"group\":\"North Korea\"", output);
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

        var (code, output, _) = await RunAsync(["check", "--input", file], null);

        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(0, code);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("""{"id":"a","matched":true""", lines[0]);
        Assert.StartsWith("""{"id":"b","matched":false""", lines[1]);
        Assert.StartsWith("""{"id":"3","matched":true""", lines[2]);
    }

    [Theory]
    [InlineData("immediate", "immediate")]
    [InlineData("daily", "daily@08")]
    [InlineData("DAILY@7", "daily@07")]
    [InlineData("weekly@friday", "weekly@fri")]
    public void Cadence_Valid_Normalized(string value, string expected)
    {
        Assert.True(Cadence.TryParse(value, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("hourly")]
    [InlineData("daily@25")]
    [InlineData("weekly@xyz")]
    [InlineData("")]
    public void Cadence_Invalid_Refused(string value) => Assert.False(Cadence.TryParse(value, out _));

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args, Dictionary<string, string?>? overrides)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AlertsCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken, overrides);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
