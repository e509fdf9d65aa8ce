using Alerts.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Alerts.Cli;

/// <summary>What every command gets from the process: where its output goes, the configuration, and the services.</summary>
/// <param name="terminal">The terminal for live displays, or null when stdout is redirected (scripts and tests read plain lines).</param>
/// <param name="overrides">Settings that win over appsettings.json and the environment (tests use this).</param>
internal sealed class CliContext(TextWriter output, TextWriter error, IAnsiConsole? terminal, IReadOnlyDictionary<string, string?>? overrides)
{
    private IConfiguration? _configuration;

    public TextWriter Out => output;

    public TextWriter Error => error;

    public IAnsiConsole? Terminal => terminal;

    /// <summary>Read when a command runs, not when it is parsed: <c>--help</c> works whatever the settings say.</summary>
    public IConfiguration Configuration => _configuration ??= AlertsCli.BuildConfiguration(overrides);

    /// <summary>Runs a command with the same services as the Functions app, validated first, disposed after.</summary>
    public async Task<int> WithServicesAsync(Func<IServiceProvider, Task<int>> run)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning)
            // Poll and digest commands print each feed's and each digest's outcome themselves;
            // those services' warnings would say the same thing a second time.
            .AddFilter("Alerts.Core.Polling.PollService", LogLevel.Error)
            .AddFilter("Alerts.Core.Digests.DigestService", LogLevel.Error));
        // Logs are for people watching, never part of the output a script reads: all of them go to stderr.
        services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddSingleton(Configuration);
        services.AddAlerts(Configuration);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return await run(provider);
    }
}
