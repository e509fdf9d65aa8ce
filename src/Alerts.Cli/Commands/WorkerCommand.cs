using System.CommandLine;
using Alerts.Cli.CommandLine;
using Alerts.Cli.Serve;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts worker</c>: a queue consumer only (see <see cref="WorkerHost"/>).</summary>
internal static class WorkerCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new CliCommand("worker", "Consume the poll-feeds queue only (no timers, no HTTP); run several for several instances");
        command.SetAction((_, ct) => WorkerHost.RunAsync(cli.Configuration, cli.Out, ct));
        return command;
    }
}
