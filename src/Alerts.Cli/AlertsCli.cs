using Alerts.Core;
using Alerts.Core.Email;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Alerts.Cli.Serve;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alerts.Cli;

/// <summary>The <c>alerts</c> command: dispatch, configuration, and the one place errors become exit codes.</summary>
public static class AlertsCli
{
    public const string Usage = """
        usage: alerts <command> [options]

          serve [--urls URL]                 timers + HTTP API locally (starts Azurite when needed)
          poll [--once]                      one poll cycle now, with a summary
          digest [--now] [--to EMAIL]        send due digests (--now: to every subscriber now)
          check (--text T | --file F | --url U | --feed URL-or-FILE | --input F.jsonl)
                [--watchlist NAME-or-FILE] [--json]
          feeds list | add URL | remove URL | import OPML | export
          watchlists list | show NAME | import FILE | export NAME
          subscribers list | add EMAIL [--watchlist N] [--cadence C] [--timezone TZ] [--name NAME] [--confirm] | remove EMAIL
          matches [--since DATE] [--watchlist NAME] [--json]

        exit codes: 0 done, 1 the work failed, 2 bad usage or input
        """;

    /// <param name="overrides">Settings that win over appsettings.json and the environment (tests use this).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        try
        {
            if (args.Length == 0)
            {
                throw new UsageException("missing command (try: alerts --help)");
            }

            if (args[0] is "-h" or "--help" or "help")
            {
                await stdout.WriteLineAsync(Usage);
                return 0;
            }

            var configuration = BuildConfiguration(overrides);
            var rest = args.Skip(1).ToArray();
            return args[0] switch
            {
                "serve" => await LocalHost.RunAsync(rest, configuration, stdout, cancellationToken),
                "poll" => await WithServices(configuration, sp => Commands.PollAsync(sp, rest, stdout, cancellationToken)),
                "digest" => await WithServices(configuration, sp => Commands.DigestAsync(sp, rest, stdout, cancellationToken)),
                "check" => await WithServices(configuration, sp => CheckCommand.RunAsync(sp, rest, stdout, cancellationToken)),
                "feeds" => await WithServices(configuration, sp => Commands.FeedsAsync(sp, rest, stdout, cancellationToken)),
                "watchlists" => await WithServices(configuration, sp => Commands.WatchlistsAsync(sp, rest, stdout, cancellationToken)),
                "subscribers" => await WithServices(configuration, sp => Commands.SubscribersAsync(sp, rest, stdout, cancellationToken)),
                "matches" => await WithServices(configuration, sp => Commands.MatchesAsync(sp, rest, stdout, cancellationToken)),
                _ => throw new UsageException($"unknown command '{args[0]}' (try: alerts --help)"),
            };
        }
        catch (Exception ex)
        {
            // Every failure is one line: the known kinds with their exit code, anything else as "the work failed".
            var (message, code) = Classify(ex) ?? ($"unexpected {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}", 1);
            await stderr.WriteLineAsync($"alerts: {message}");
            return code;
        }
    }

    private static (string Message, int ExitCode)? Classify(Exception ex) => ex switch
    {
        AggregateException { InnerExceptions.Count: > 0 } agg => Classify(agg.InnerExceptions[0]),
        UsageException => (ex.Message, 2),
        WatchlistException => ($"invalid watchlist: {ex.Message}", 2),
        OptionsValidationException o => ($"configuration: {string.Join("; ", o.Failures)}", 2),
        FileNotFoundException f => ($"file not found: {f.FileName ?? f.Message}", 2),
        DirectoryNotFoundException => ($"file not found: {ex.Message}", 2),
        StorageUnavailableException => (ex.Message, 1),
        RequestFailedException r => ($"storage refused the request ({r.Status} {r.ErrorCode}): {r.Message.Split('\n')[0]}", 1),
        EmailSendException => (ex.Message, 1),
        IOException => (ex.Message.Split(Environment.NewLine)[0], 1), // e.g. the --urls port is taken
        OperationCanceledException => ("cancelled", 1),
        _ => null,
    };

    public static IConfiguration BuildConfiguration(IReadOnlyDictionary<string, string?>? overrides) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();

    private static async Task<int> WithServices(IConfiguration configuration, Func<IServiceProvider, Task<int>> run)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter("Alerts", LogLevel.Warning));
        services.AddSingleton(configuration);
        services.AddAlerts(configuration);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return await run(provider);
    }

    /// <summary>Checks an address the way a person expects: one mailbox, a dot in the domain, no display name.</summary>
    public static string ValidEmail(string value) =>
        Core.Subscribers.SubscriptionService.ValidEmail(value) ?? throw new UsageException($"'{value}' is not a valid email address");
}
