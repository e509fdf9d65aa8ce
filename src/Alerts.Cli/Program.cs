using System.Text;
using Alerts.Cli;
using Spectre.Console;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop cleanly (a poll in progress finishes its current feed writes). Second: default.
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};

// UTF-8 whatever the console's code page: names and JSON carry Persian, Korean and Russian text.
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
// A live display only where a person watches; redirected output gets plain lines.
var terminal = Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? null : AnsiConsole.Console;
return await AlertsCli.RunAsync(args, new CliContext(Console.Out, Console.Error, terminal, null), cancel.Token);
