using System.CommandLine;
using System.Reflection;
using Alerts.Cli;
using Alerts.Cli.CommandLine;

namespace Alerts.UnitTests.Cli;

/// <summary>Help is generated from the parser's definitions, and the README's command line is that help.</summary>
public sealed class HelpTests
{
    /// <summary>Every command the parser defines, as the words that name it ("feeds add").</summary>
    public static TheoryData<string> Commands() => [.. AllCommands(Root()).Select(c => c.Path)];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryCommand_UsageOnStdoutExit0(string path)
    {
        var (code, output, err) = await CliRun.RunAsync([.. CliRun.Words(path), "--help"]);

        Assert.Equal(0, code);
        Assert.Contains($"alerts {path}", output, StringComparison.Ordinal);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Empty(err);
    }

    [Fact]
    public async Task Help_Root_EveryCommandLineAndTheExitCodes()
    {
        var (code, output, err) = await CliRun.RunAsync(["--help"]);

        Assert.Equal(0, code);
        Assert.Contains("  alerts check (--text T | --file F | --url U | --feed URL-or-FILE | --input F.jsonl) [--watchlist NAME-or-FILE] [--json]", output, StringComparison.Ordinal);
        Assert.Contains("  alerts feeds add URL [--allow-private]", output, StringComparison.Ordinal);
        Assert.Contains(AlertsCommandLine.ExitCodes, output, StringComparison.Ordinal);
        Assert.Empty(err);
    }

    [Fact]
    public async Task Version_PrintsTheVersionOfThisBuildOfAlerts()
    {
        var expected = typeof(AlertsCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var (code, output, err) = await CliRun.RunAsync(["--version"]);

        Assert.Equal(0, code);
        Assert.Equal(expected, output.Trim());
        Assert.Empty(err);
    }

    [Fact]
    public async Task Readme_CommandLineSection_IsTheGeneratedHelp()
    {
        var (_, help, _) = await CliRun.RunAsync(["--help"]);

        Assert.Equal(Lines(help), Lines(ReadmeCommandLine()));
    }

    [Fact]
    public void Readme_CommandLineSection_NamesEveryCommandAndOption()
    {
        var readme = ReadmeCommandLine().Split('\n').Select(l => l.Trim()).ToList();

        foreach (var (path, command) in AllCommands(Root()))
        {
            // A runnable command has its own line; a group (feeds, watchlists…) is named by its commands' lines.
            var lines = readme.Where(l => l == $"alerts {path}" || l.StartsWith($"alerts {path} ", StringComparison.Ordinal)).ToList();
            Assert.True(lines.Count > 0, $"the README's command line does not show 'alerts {path}'");
            if (command.Action is null)
            {
                continue;
            }

            var line = lines.FirstOrDefault(l => l == $"alerts {path}" || !command.Subcommands.Any(s => l.StartsWith($"alerts {path} {s.Name}", StringComparison.Ordinal)));
            Assert.True(line is not null, $"no usage line of its own for 'alerts {path}'");
            foreach (var option in command.Options.Where(o => o is not System.CommandLine.Help.HelpOption))
            {
                Assert.True(line.Split(' ', '(', ')', '[', ']', '|').Contains(option.Name), $"'alerts {path}' in the README lacks {option.Name}");
            }

            foreach (var argument in command.Arguments)
            {
                Assert.True(line.Split(' ', '(', ')', '[', ']', '|').Contains(argument.Name), $"'alerts {path}' in the README lacks {argument.Name}");
            }
        }
    }

    private static RootCommand Root() => AlertsCommandLine.Create(new CliContext(TextWriter.Null, TextWriter.Null, null, null));

    private static IEnumerable<(string Path, Command Command)> AllCommands(Command parent, string prefix = "")
    {
        foreach (var command in parent.Subcommands)
        {
            var path = prefix + command.Name;
            yield return (path, command);
            foreach (var child in AllCommands(command, path + " "))
            {
                yield return child;
            }
        }
    }

    /// <summary>The first code block of the README's "Command line" section.</summary>
    private static string ReadmeCommandLine()
    {
        var readme = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var heading = readme.IndexOf("\n## Command line\n", StringComparison.Ordinal);
        Assert.True(heading >= 0, "the README has no '## Command line' section");
        var start = readme.IndexOf("```text\n", heading, StringComparison.Ordinal);
        Assert.True(start >= 0, "the README's command line section has no ```text block");
        start += "```text\n".Length;
        return readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    private static string[] Lines(string text) => [.. text.ReplaceLineEndings("\n").Trim('\n').Split('\n').Select(l => l.TrimEnd())];
}
