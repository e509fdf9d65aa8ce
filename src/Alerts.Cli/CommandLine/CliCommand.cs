using System.CommandLine;
using System.CommandLine.Parsing;

namespace Alerts.Cli.CommandLine;

/// <summary>A command that can also require exactly one of a group of its options and arguments, and says so in the usage line.</summary>
internal sealed class CliCommand(string name, string description) : Command(name, description)
{
    /// <summary>Symbols of which exactly one must be given, shown as <c>(a | b)</c> in the usage line.</summary>
    public IReadOnlyList<Symbol> ExactlyOne { get; private set; } = [];

    public CliCommand RequireExactlyOne(params Symbol[] symbols)
    {
        ExactlyOne = symbols;
        Validators.Add(result =>
        {
            if (symbols.Count(s => IsGiven(result, s)) != 1)
            {
                result.AddError($"give exactly one of {string.Join(", ", symbols.Select(Synopsis.Label))}");
            }
        });
        return this;
    }

    private static bool IsGiven(CommandResult result, Symbol symbol) => symbol switch
    {
        Option option => result.GetResult(option) is { Implicit: false },
        Argument argument => result.GetResult(argument) is { Tokens.Count: > 0 },
        _ => false,
    };
}
