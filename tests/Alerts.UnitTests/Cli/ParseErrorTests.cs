namespace Alerts.UnitTests.Cli;

/// <summary>Whatever is wrong with a command line, the answer is one line on stderr and exit code 2.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("feeds")]
    [InlineData("check")]
    [InlineData("check --text")]
    [InlineData("check --text a --file b")]
    [InlineData("check --text a --nope")]
    [InlineData("check --file /no/such/file.txt")]
    [InlineData("check --text a --watchlist no-such-file.json --json")]
    [InlineData("poll extra")]
    [InlineData("feeds add")]
    [InlineData("feeds add file:///etc/passwd")]
    [InlineData("feeds add http://a.example/ http://b.example/")]
    [InlineData("feeds import")]
    [InlineData("feeds import x.opml --default")]
    [InlineData("subscribers add not-an-email")]
    [InlineData("digest --to not-an-email")]
    [InlineData("matches --since yesterday-ish")]
    [InlineData("matches --max many")]
    [InlineData("matches --max 0")]
    [InlineData("serve --urls ftp://x")]
    public async Task Run_BadUsage_OneLineAndExit2(string commandLine)
    {
        var (code, output, err) = await CliRun.RunAsync(CliRun.Words(commandLine), CliRun.LocalStorage);

        Assert.Equal(2, code);
        Assert.StartsWith("alerts: ", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.DoesNotContain(" at ", err, StringComparison.Ordinal);
        Assert.Empty(output); // no help dumped on an error
    }

    [Theory]
    [InlineData("poll --json", "--json")]
    [InlineData("watchlists list --json", "--json")]
    [InlineData("digest --once", "--once")] // an option of another command (poll) is not one of digest's
    [InlineData("feeds export --default", "--default")] // nor is feeds import's
    [InlineData("subscribers remove a@example.com --confirm", "--confirm")]
    public async Task Run_OptionTheCommandDoesNotHave_RefusedNotIgnored(string commandLine, string option)
    {
        var (code, _, err) = await CliRun.RunAsync(CliRun.Words(commandLine), CliRun.LocalStorage);

        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains($"'{option}'", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sbscribers list", "did you mean subscribers?")]
    [InlineData("feeds lsit", "did you mean list?")]
    [InlineData("matches --jsn", "did you mean --json?")]
    public async Task Run_Typo_OneLineWithTheSuggestion(string commandLine, string suggestion)
    {
        var (code, _, err) = await CliRun.RunAsync(CliRun.Words(commandLine), CliRun.LocalStorage);

        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains(suggestion, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownOption_SaysWhereHelpIs()
    {
        var (_, _, err) = await CliRun.RunAsync(["subscribers", "list", "--verbose"], CliRun.LocalStorage);

        Assert.EndsWith("see alerts subscribers list --help", err.TrimEnd(), StringComparison.Ordinal);
    }
}
