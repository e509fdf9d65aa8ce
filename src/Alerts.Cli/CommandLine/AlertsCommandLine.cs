using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using Alerts.Cli.Commands;

namespace Alerts.Cli.CommandLine;

/// <summary>The <c>alerts</c> command tree, its help and its one-line parse errors.</summary>
internal static class AlertsCommandLine
{
    /// <summary>Help is wrapped at a fixed width, so it reads the same on every terminal and in the README.</summary>
    public const int HelpWidth = 100;

    public const string ExitCodes = "Exit codes: 0 done; 1 the work failed (storage unreachable, SendGrid refused); 2 bad usage or bad input. Errors are one line on stderr.";

    /// <summary>
    /// No response files: "@name" is text to check or an address, never a file of arguments to read
    /// (<c>alerts check --text "@IRIMFA says…"</c>).
    /// </summary>
    public static ParserConfiguration Parser { get; } = new() { ResponseFileTokenReplacer = null };

    public static RootCommand Create(CliContext cli)
    {
        var root = new RootCommand("Alerts: news feeds watched for oil and arms dealings between Iran, North Korea and Russia.")
        {
            HelpName = "alerts",
        };
        root.Add(ServeCommand.Create(cli));
        root.Add(WorkerCommand.Create(cli));
        root.Add(PollCommand.Create(cli));
        root.Add(DigestCommand.Create(cli));
        root.Add(CheckCommand.Create(cli));
        root.Add(FeedsCommand.Create(cli));
        root.Add(WatchlistsCommand.Create(cli));
        root.Add(SubscribersCommand.Create(cli));
        root.Add(MatchesCommand.Create(cli));

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new RootHelpAction(new HelpAction { MaxWidth = HelpWidth }, root);

        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        return root;
    }

    /// <summary>The version of this build of <c>alerts</c> (not of whatever process hosts it, as in tests).</summary>
    public static string Version { get; } =
        typeof(AlertsCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AlertsCommandLine).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// The parse errors as one line: the first error about a token the parser did not know (the cause,
    /// rather than its consequences), System.CommandLine's typo suggestions for it, and where help is.
    /// </summary>
    public static string ErrorLine(ParseResult parsed)
    {
        var unknown = parsed.UnmatchedTokens.Count > 0 ? parsed.UnmatchedTokens[0] : null;
        var error = (unknown is null ? null : parsed.Errors.FirstOrDefault(e => e.Message.Contains($"'{unknown}'", StringComparison.Ordinal))) ?? parsed.Errors[0];
        var suggestions = unknown is null ? [] : TypoSuggestions(parsed, unknown);
        var did = suggestions.Count == 0 ? "" : $" (did you mean {string.Join(" or ", suggestions)}?)";
        return $"{error.Message.TrimEnd('.')}{did}; see {CommandPath(parsed.CommandResult.Command)} --help";
    }

    private static List<string> TypoSuggestions(ParseResult parsed, string unknown)
    {
        if (parsed.Action is not ParseErrorAction action)
        {
            return [];
        }

        // The parser's own suggestions: for each unknown token a line "'x' was not matched. Did you mean…",
        // then one name a line. Names have no spaces; the next token's sentence ends the list.
        action.ShowHelp = false;
        action.ShowTypoCorrections = true;
        var suggestions = new StringWriter();
        parsed.Invoke(new InvocationConfiguration { Output = suggestions, Error = TextWriter.Null });
        return [.. suggestions.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .TakeWhile(s => !s.Contains(' ', StringComparison.Ordinal))
            // A mistyped command is not answered with an option, nor a mistyped option with a command;
            // and nobody mistypes -h or -?.
            .Where(s => s.StartsWith('-') == unknown.StartsWith('-') && s.Length > 2)];
    }

    private static string CommandPath(Command command) =>
        command is RootCommand ? "alerts" : $"{CommandPath(command.Parents.OfType<Command>().First())} {command.Name}";

    /// <summary>
    /// The generated help; for <c>alerts --help</c> followed by a usage line for every command with all
    /// its options, so one screen (and the README, which copies it) shows the whole command line.
    /// </summary>
    private sealed class RootHelpAction(HelpAction help, RootCommand root) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            if (parseResult.CommandResult.Command == root)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Every command and its options:");
                foreach (var line in Synopsis.Lines(root))
                {
                    output.WriteLine($"  {line}");
                }

                output.WriteLine();
                output.WriteLine(ExitCodes);
            }

            return code;
        }
    }

    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
