using System.CommandLine;
using Alerts.Cli.CommandLine;
using Alerts.Core.Checks;
using Alerts.Core.Email;
using Alerts.Core.Feeds;
using Alerts.Core.Matches;
using Alerts.Core.Matching;
using Alerts.Core.Storage;
using Alerts.Core.Subscribers;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Alerts.Cli;

/// <summary>The <c>alerts</c> command: parse, run, and the one place errors become exit codes.</summary>
public static class AlertsCli
{
    /// <param name="overrides">Settings that win over appsettings.json and the environment (tests use this).</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null) =>
        RunAsync(args, new CliContext(stdout, stderr, null, overrides), cancellationToken);

    internal static async Task<int> RunAsync(string[] args, CliContext cli, CancellationToken cancellationToken)
    {
        var code = await RunCommandAsync(args, cli, cancellationToken);
        if (ReportResources(cli))
        {
            // For measurements (the scale benchmark runs workers as processes): one line on stderr at exit.
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            await cli.Error.WriteLineAsync(FormattableString.Invariant(
                $"alerts: resources: allocated={GC.GetTotalAllocatedBytes()} peak_working_set={process.PeakWorkingSet64} cpu_ms={(long)process.TotalProcessorTime.TotalMilliseconds} table_requests={StorageRequests.Tables} queue_requests={StorageRequests.Queues} new_items={Core.AlertsMetrics.NewItemsTotal}"));
        }

        return code;
    }

    private static bool ReportResources(CliContext cli)
    {
        try
        {
            return string.Equals(cli.Configuration["Alerts:Diagnostics:ReportResources"], "true", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            return false; // a broken appsettings.json was already said in one line by the command
        }
    }

    private static async Task<int> RunCommandAsync(string[] args, CliContext cli, CancellationToken cancellationToken)
    {
        try
        {
            var parsed = AlertsCommandLine.Create(cli).Parse(args, AlertsCommandLine.Parser);
            if (parsed.Errors.Count > 0)
            {
                // System.CommandLine would print every error and the help; a script and a person both want one line.
                throw new UsageException(AlertsCommandLine.ErrorLine(parsed));
            }

            return await parsed.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = cli.Out,
                    Error = cli.Error,
                    // Exceptions come here, to Classify; Ctrl+C is Program's, so that tests never touch process signals.
                    EnableDefaultExceptionHandler = false,
                    ProcessTerminationTimeout = null,
                },
                cancellationToken);
        }
        catch (Exception ex)
        {
            // Every failure is one line: the known kinds with their exit code, anything else as "the work failed".
            var (message, code) = Classify(ex) ?? ($"unexpected {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}", 1);
            await cli.Error.WriteLineAsync($"alerts: {message}");
            return code;
        }
    }

    /// <summary>Exit 2: the caller can fix it (usage, input); exit 1: the work failed (storage, email provider).</summary>
    internal static (string Message, int ExitCode)? Classify(Exception ex) => ex switch
    {
        AggregateException { InnerExceptions.Count: > 0 } agg => Classify(agg.InnerExceptions[0]),
        UsageException => (ex.Message, 2),
        WatchlistException => ($"invalid watchlist: {ex.Message}", 2),
        FeedUrlException or SsrfException or OpmlException or SubscriptionException or StoredTextTooLargeException => (ex.Message, 2),
        MatchQueryException q => ($"--{q.Field} {q.Message}", 2),
        CheckException c => ($"{c.Target}: {c.Message}", 2),
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
}
