using System.CommandLine;
using Alerts.Cli.CommandLine;
using Alerts.Cli.Serve;

namespace Alerts.Cli.Commands;

/// <summary><c>alerts serve</c>: the local host (see <see cref="LocalHost"/>).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "where to listen; several separated by ';'",
            HelpName = "URL",
            DefaultValueFactory = _ => LocalHost.DefaultUrls,
        };
        urls.Validators.Add(result =>
        {
            foreach (var url in (result.GetValueOrDefault<string>() ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
                {
                    result.AddError($"--urls '{url}' is not an http(s) URL");
                }
            }
        });

        var command = new CliCommand("serve", "Run the poll and digest timers and the HTTP API locally; starts Azurite when storage is the local default") { urls };
        command.SetAction((parsed, ct) => LocalHost.RunAsync(parsed.GetValue(urls)!, cli.Configuration, cli.Out, ct));
        return command;
    }
}
