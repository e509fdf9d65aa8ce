using System.CommandLine;
using System.CommandLine.Help;

namespace Alerts.Cli.CommandLine;

/// <summary>
/// One usage line per runnable command, written from the definitions (so the root help, and the README
/// that copies it, name every command and option the parser accepts, and nothing else).
/// </summary>
internal static class Synopsis
{
    public static IEnumerable<string> Lines(RootCommand root) => Runnable(root, "alerts");

    /// <summary>How a symbol reads in a usage line: <c>URL</c>, <c>--json</c>, <c>--text T</c>.</summary>
    public static string Label(Symbol symbol) => symbol switch
    {
        Option { ValueType: var t } o when t == typeof(bool) => o.Name,
        Option o => $"{o.Name} {o.HelpName ?? o.Name.TrimStart('-').ToUpperInvariant()}",
        Argument a => a.HelpName ?? a.Name,
        _ => symbol.Name,
    };

    private static IEnumerable<string> Runnable(Command command, string path)
    {
        if (command.Action is not null)
        {
            yield return $"{path}{Parts(command)}";
        }

        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            foreach (var line in Runnable(sub, $"{path} {sub.Name}"))
            {
                yield return line;
            }
        }
    }

    private static string Parts(Command command)
    {
        var group = (command as CliCommand)?.ExactlyOne ?? [];
        var parts = new List<string>();
        if (group.Count > 0)
        {
            parts.Add($"({string.Join(" | ", group.Select(Label))})");
        }

        parts.AddRange(command.Arguments.Where(a => !a.Hidden && !group.Contains(a)).Select(a => a.Arity.MinimumNumberOfValues > 0 ? Label(a) : $"[{Label(a)}]"));
        parts.AddRange(command.Options.Where(o => !o.Hidden && o is not HelpOption && !group.Contains(o)).Select(o => o.Required ? Label(o) : $"[{Label(o)}]"));
        return parts.Count == 0 ? "" : " " + string.Join(" ", parts);
    }
}
